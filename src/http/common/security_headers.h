#pragma once
// The headers every response carries, pages and API alike. The Content-Security-Policy allows no
// inline script, so a stored message that slips past sanitising still cannot run; frame-ancestors
// 'none' (and X-Frame-Options for old browsers) stops click-jacking.

#include <string>
#include <utility>
#include <vector>

namespace rapport::http {

std::vector<std::pair<std::string, std::string>> SecurityHeaders();

}  // namespace rapport::http
