#pragma once
// Text made safe to put in HTML, in an element or an attribute value (quoted either way):
// the operator's pages and the simulator's report both print fleet ids they do not control.

#include <string>
#include <string_view>

namespace headroom::common {

/// `text` with &, <, >, " and ' written as character references.
std::string html_escape(std::string_view text);

}  // namespace headroom::common
