// The invariants every TUF metadata reader (Root, Timestamp, Snapshot, Targets with delegations)
// keeps on arbitrary bytes, shared by the four fuzz targets:
//  - never crash, hang or leak;
//  - a rejection is InvalidArgument and its message starts with the file name it was given, so
//    it names the role (the field path and the rule follow; see vigil/update/metadata.h);
//  - an accepted document, re-serialised, is accepted again with the same canonical signed
//    bytes (what signatures cover depends on the value only, not on the byte layout), and a
//    targets role with the same entries (names, lengths, hashes, custom).
#ifndef VIGIL_FUZZ_UPDATE_METADATA_READER_FUZZ_H_
#define VIGIL_FUZZ_UPDATE_METADATA_READER_FUZZ_H_

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "vigil/update/canonical_json.h"
#include "vigil/update/metadata.h"

namespace vigil::update::fuzz {

template <typename Role>
int FuzzMetadataReader(const uint8_t* data, size_t size, const std::string& file) {
  ByteView bytes(data, size);
  auto parsed = Role::Parse(bytes, file);
  if (!parsed) {
    const Error& e = parsed.error();
    if (e.code() != ErrorCode::kInvalidArgument || !e.message().starts_with(file + ":")) {
      std::abort();
    }
    return 0;
  }
  auto doc = ParseStrictJson(AsStringView(bytes), "x");
  if (!doc) std::abort();
  std::string dumped = json::Write(*doc);
  auto again = Role::Parse(AsBytes(dumped), file);
  if (!again || again->envelope.canonical_signed != parsed->envelope.canonical_signed) std::abort();
  if constexpr (std::is_same_v<Role, Targets>) {
    auto same = [](const TargetFile& a, const TargetFile& b) {
      return a.length == b.length && a.hashes == b.hashes && a.custom == b.custom;
    };
    if (!std::equal(parsed->targets.begin(), parsed->targets.end(), again->targets.begin(),
                    again->targets.end(), [&](const auto& a, const auto& b) {
                      return a.first == b.first && same(a.second, b.second);
                    })) {
      std::abort();
    }
  }
  return 0;
}

}  // namespace vigil::update::fuzz

#endif  // VIGIL_FUZZ_UPDATE_METADATA_READER_FUZZ_H_
