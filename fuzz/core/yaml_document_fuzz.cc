// yaml::Document and yaml::Fields on arbitrary bytes (the first byte picks the scalar mode):
// never crashes, and every refusal, from parsing or from reading any field, is one line that
// names the document.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/core/yaml_document.h"

namespace {

enum class Word { kA, kB };
constexpr std::array<vigil::yaml::EnumName<Word>, 2> kWords{{{"a", Word::kA}, {"b", Word::kB}}};

void Check(const vigil::Status& s) {
  if (s) return;
  const std::string& m = s.error().message();
  if (m.rfind("fuzz.yaml", 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
}
template <typename T>
void Check(const vigil::Result<T>& r) {
  Check(r ? vigil::OkStatus() : vigil::Status(r.error()));
}

void ReadAll(const vigil::yaml::Fields& f) {
  Check(f.Expect({"id", "name", "kind", "n", "on", "tags", "items"}));
  Check(f.String("name"));
  Check(f.Id("id"));
  Check(f.Enum<Word>("kind", kWords, std::nullopt));
  Check(f.Number("n", 0, 10));
  Check(f.Bool("on", false));
  Check(f.Strings("tags"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto scalars =
      (data[0] & 1) ? vigil::YamlScalars::kIntegersAsNumbers : vigil::YamlScalars::kStrings;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto doc = vigil::yaml::Document::Parse(text, "fuzz.yaml", scalars, vigil::YamlLimits{});
  Check(doc);
  if (!doc) return 0;
  vigil::yaml::Fields root(*doc, doc->Root());
  ReadAll(root);
  auto items = root.NonEmptyList("items");
  Check(items);
  if (items) {
    for (const vigil::json::Node& item : *items) ReadAll(vigil::yaml::Fields(*doc, item));
  }
  return 0;
}
