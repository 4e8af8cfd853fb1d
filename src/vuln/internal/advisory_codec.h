// The compiled form of an Advisory the database stores beside each source document: every field
// of the model in a compact length-prefixed binary encoding, so that a scan reads an advisory
// with a few hundred small copies instead of re-parsing its OSV / NVD JSON (the parse was the
// largest cost of a 10k-component scan).
//
// Layout: one format byte (kAdvisoryCodecVersion), then the fields in declaration order;
// strings and blobs as a LEB128 length and the bytes, vectors as a LEB128 count and the
// elements, booleans and enums as one byte, an optional double as a presence byte and the
// IEEE-754 bits little-endian. A change of layout bumps the version; the database recompiles
// its documents when its stored version differs (advisory_db.cc).
//
// Decode never trusts its input: every length is checked against what remains, enums against
// their range, and trailing bytes are an error (InvalidArgument naming `where` and the field).
//
// Thread-safety: pure functions.
#ifndef VIGIL_VULN_INTERNAL_ADVISORY_CODEC_H_
#define VIGIL_VULN_INTERNAL_ADVISORY_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "internal/osv_view.h"
#include "vigil/core/result.h"
#include "vigil/vuln/advisory.h"

namespace vigil::vuln::internal {

// 2: Advisory::status and the CVE JSON 5 products (database schema 3).
// 3: each severity also holds its source and role (Primary/Secondary). Version 2 still decodes
// (without them), and a re-import recompiles it even when the document is unchanged.
// 4: the CWE weaknesses (Advisory::weaknesses). Versions 2 and 3 still decode (without them).
inline constexpr uint8_t kAdvisoryCodecVersion = 4;

std::string EncodeAdvisory(const Advisory& advisory);
Result<Advisory> DecodeAdvisory(std::string_view data, std::string_view where);
// DecodeAdvisory into `out`, reusing the storage of its strings and vectors (a scan decodes
// tens of thousands of advisories; one kept per thread makes most of their mallocs go away).
// Every field is set; on failure `out` holds a part of the advisory.
Status DecodeAdvisoryInto(std::string_view data, std::string_view where, Advisory& out);
// DecodeAdvisoryInto, except that affected[] is left empty in `out` and decoded into `affected`
// as views into `data` (the same checks, so the same bytes are accepted and refused): a scan
// matches the views and needs the rest of `out` only for a match. `affected.id` and `withdrawn`
// view `out`'s.
Status DecodeAdvisorySplit(std::string_view data, std::string_view where, Advisory& out,
                           OsvView& affected);
// A stored compiled form decoded for a scan (DecodeAdvisorySplit when `affected` is given, else
// DecodeAdvisoryInto): DataLoss naming `path`, the advisory `id` and the field when it does not
// decode. The label is built only on that error path (a scan decodes tens of thousands).
Status DecodeStored(std::string_view data, const std::string& path, std::string_view id,
                    Advisory& out, OsvView* affected = nullptr);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_ADVISORY_CODEC_H_
