#include "vigil/core/encoding.h"

#include <array>
#include <cstdio>

namespace vigil {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// A table rather than range tests: digests are random mixes of digits and letters, so the
// branches mispredicted about every other character (HexDecode was 6% of a TUF refresh that
// decodes 10,000 target digests).
constexpr std::array<int8_t, 256> kHexValue = [] {
  std::array<int8_t, 256> t{};
  t.fill(-1);
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<int8_t>(c - 'A' + 10);
  return t;
}();

int HexValue(char c) { return kHexValue[static_cast<unsigned char>(c)]; }

// How a character is shown in an error message: printable as itself, others as \xNN.
std::string Shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", u);
  return buf;
}

// Reverse table for one alphabet: 0..63, or -1.
std::array<int8_t, 256> ReverseTable(const char* alphabet) {
  std::array<int8_t, 256> t{};
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

std::string Base64EncodeWith(ByteView data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = uint32_t{data[i]} << 16;
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

// Strict decoding: the only accepted text is the one Base64EncodeWith produces.
Result<Bytes> Base64DecodeWith(std::string_view text, const std::array<int8_t, 256>& table,
                               bool padded, std::string_view what) {
  size_t data_len = text.size();
  if (padded) {
    if (text.size() % 4 != 0) {
      return InvalidArgumentError(std::string(what) + ": length " + std::to_string(text.size()) +
                                  " is not a multiple of 4");
    }
    while (data_len > 0 && text[data_len - 1] == '=' && text.size() - data_len < 2) --data_len;
  } else if (text.size() % 4 == 1) {
    return InvalidArgumentError(std::string(what) + ": length " + std::to_string(text.size()) +
                                " cannot be unpadded base64");
  }
  Bytes out;
  out.reserve(data_len * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < data_len; ++i) {
    int8_t v = table[static_cast<unsigned char>(text[i])];
    if (v < 0) {
      return InvalidArgumentError(std::string(what) + ": offset " + std::to_string(i) +
                                  ": expected a base64 character, found " + Shown(text[i]));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (padded && data_len % 4 == 1) {
    return InvalidArgumentError(std::string(what) + ": offset " + std::to_string(data_len) +
                                ": expected a base64 character, found '='");
  }
  if (acc != 0) {
    return InvalidArgumentError(std::string(what) + ": offset " + std::to_string(data_len - 1) +
                                ": non-zero padding bits (non-canonical encoding)");
  }
  for (size_t i = data_len; i < text.size(); ++i) {
    if (text[i] != '=') {
      return InvalidArgumentError(std::string(what) + ": offset " + std::to_string(i) +
                                  ": expected '=', found " + Shown(text[i]));
    }
  }
  return out;
}

}  // namespace

std::string HexEncode(ByteView data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out.push_back(kHexDigits[b >> 4]);
    out.push_back(kHexDigits[b & 15]);
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return InvalidArgumentError("hex: expected an even number of digits, found " +
                                std::to_string(text.size()));
  }
  // Decoded without a branch per digit; a bad digit makes `bad` negative and is looked for
  // again only then, for the message (a TUF refresh decodes 10,000 digests).
  Bytes out(text.size() / 2);
  const char* in = text.data();
  uint8_t* o = out.data();
  int bad = 0;
  for (size_t i = 0, n = out.size(); i < n; ++i) {
    int hi = HexValue(in[2 * i]);
    int lo = HexValue(in[2 * i + 1]);
    bad |= hi | lo;
    o[i] = static_cast<uint8_t>((static_cast<unsigned>(hi) << 4) | static_cast<unsigned>(lo));
  }
  if (bad >= 0) return out;
  size_t at = 0;
  while (HexValue(text[at]) >= 0) ++at;
  return InvalidArgumentError("hex: offset " + std::to_string(at) +
                              ": expected a hex digit, found " + Shown(text[at]));
}

std::string Base64Encode(ByteView data) { return Base64EncodeWith(data, kBase64Std, true); }

Result<Bytes> Base64Decode(std::string_view text) {
  static const std::array<int8_t, 256> table = ReverseTable(kBase64Std);
  return Base64DecodeWith(text, table, true, "base64");
}

std::string Base64UrlEncode(ByteView data) { return Base64EncodeWith(data, kBase64Url, false); }

Result<Bytes> Base64UrlDecode(std::string_view text) {
  static const std::array<int8_t, 256> table = ReverseTable(kBase64Url);
  return Base64DecodeWith(text, table, false, "base64url");
}

std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out.push_back(c);
      continue;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", u);
    out += buf;
  }
  return out;
}

}  // namespace vigil
