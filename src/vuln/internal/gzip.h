// gzip (RFC 1952) decompression for feeds that are published compressed: NVD's yearly
// nvdcve-2.0-YYYY.json.gz and FIRST's epss_scores-YYYY-MM-DD.csv.gz.
//
// The whole member sequence is decompressed (concatenated gzip members, as `gzip -c a b`
// writes, are one stream); output beyond `max_output` bytes is refused as a decompression
// bomb. Errors are InvalidArgument naming `source`: not gzip, corrupt or truncated data, a CRC
// or length mismatch, trailing bytes that are not another member.
//
// Thread-safety: pure function.
#ifndef VIGIL_VULN_INTERNAL_GZIP_H_
#define VIGIL_VULN_INTERNAL_GZIP_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "vigil/core/result.h"

namespace vigil::vuln::internal {

Result<std::string> Gunzip(std::string_view data, std::string_view source, size_t max_output);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_GZIP_H_
