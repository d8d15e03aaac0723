#pragma once
// URL checks for the sanitiser. Browsers forgive a lot in a URL's scheme ("JaVa\tScRiPt:", leading
// control characters), so the checks first clean a URL the way the URL parser would and then look at
// the scheme of the cleaned string, which is also what gets written out. Internal to rapport_mail.

#include <string>
#include <string_view>

namespace rapport::mail::html {

// `url` (already entity-decoded by the HTML parser) with leading/trailing C0 controls and spaces removed
// and every tab, CR and LF removed, as the WHATWG URL parser does before reading the scheme.
std::string CleanUrl(std::string_view url);

// Whether a cleaned URL is fit for <a href>: http, https, mailto or tel.
bool IsSafeLinkUrl(std::string_view clean_url);

// Whether a cleaned URL is an inline raster image: data:image/(png|jpeg|gif|webp);base64,<base64>.
bool IsSafeDataImage(std::string_view clean_url);

// For http(s) and protocol-relative ("//host/x") URLs, the absolute URL to load (https: added to the
// latter); otherwise "".
std::string RemoteUrl(std::string_view clean_url);

// The Content-ID named by a "cid:" URL (percent-decoded, angle brackets removed), or "" when the URL is
// not a cid: URL.
std::string ContentIdOf(std::string_view clean_url);

}  // namespace rapport::mail::html
