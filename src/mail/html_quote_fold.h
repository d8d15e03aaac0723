#pragma once
// Where quoted history starts in a received HTML mail, for folding it away behind <details>. Mail
// clients mark it in different ways; this knows the common ones:
//   Gmail            <div class="gmail_quote">attribution + <blockquote></div>
//   Apple Mail       <blockquote type="cite"> (attribution inside it)
//   Thunderbird      <div class="moz-cite-prefix">On ... wrote:</div> then <blockquote type="cite">
//   Yahoo            <div class="yahoo_quoted">
//   Outlook (web)    [<hr>] <div id="divRplyFwdMsg">From/Sent/To</div> and everything after it
//   Outlook (desktop)<div style="border-top:..."><p><b>From:</b> ...</div> (or wrapped in one more <div>)
//                    and everything after it
//   Older clients    an element whose text starts "-----Original Message-----" and everything after it
// Internal to rapport_mail (used by html_sanitize.cc).

#include <gumbo.h>

namespace rapport::mail::html {

// When quoted history starts at `child`, returns the last sibling (possibly `child` itself) that belongs
// to it, so that [child, result] can be wrapped together; otherwise nullptr. Only folds where a
// <details> element may stand (inside flow containers such as div, td, li, blockquote, body), so the
// wrapped output re-parses to the same structure.
const GumboNode* QuotedHistoryEnd(const GumboNode& child);

}  // namespace rapport::mail::html
