#pragma once
// Markers of quoted history shared by the plain-text segmenter (quote_segments.cc) and the HTML fold
// (html_quote_fold.cc), so both recognise the same ones. Internal to rapport_mail.

#include <string_view>

namespace rapport::mail {

// The line older mail clients put above a forwarded or quoted message (English, German, French).
inline constexpr std::string_view kOriginalMessageMarkers[] = {
    "-----Original Message-----", "-----Urspr\xC3\xBCngliche Nachricht-----", "-----Message d'origine-----",
    "-------- Original Message --------", "-------- Message original --------"};

}  // namespace rapport::mail
