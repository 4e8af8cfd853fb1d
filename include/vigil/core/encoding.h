// Hex and base64 (RFC 4648) encoders and strict decoders.
//
// The decoders accept exactly one spelling of each byte string and reject everything else with
// an InvalidArgument error that names the offset and the character found: no whitespace, no
// missing or extra padding, no non-zero bits in the final padding position (RFC 4648 §3.5,
// "canonical encoding"). Signed artifacts must not have two encodings.
//
// Thread-safety: pure functions.
#ifndef VIGIL_CORE_ENCODING_H_
#define VIGIL_CORE_ENCODING_H_

#include <string>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil {

// Lower-case hex.
std::string HexEncode(ByteView data);
// Accepts upper and lower case hex digits; rejects odd length and any other character.
Result<Bytes> HexDecode(std::string_view text);

// Standard alphabet ("+/") with "=" padding (RFC 4648 §4).
std::string Base64Encode(ByteView data);
Result<Bytes> Base64Decode(std::string_view text);

// URL-safe alphabet ("-_") without padding (RFC 4648 §5), as used by JOSE and TUF tooling.
std::string Base64UrlEncode(ByteView data);
Result<Bytes> Base64UrlDecode(std::string_view text);

// `text` for a one-line error message: control characters (below 0x20, and 0x7f) become \xNN;
// everything else, UTF-8 included, is kept. Input quoted in an error stays on one line.
std::string OneLine(std::string_view text);

}  // namespace vigil

#endif  // VIGIL_CORE_ENCODING_H_
