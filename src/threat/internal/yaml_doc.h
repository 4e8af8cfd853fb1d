// The threat module's YAML files (model files and rule files) are read through core's line-aware
// YAML layer (vigil/core/yaml_document.h), so every error is "FILE:LINE: FIELD: what was
// expected". This header fixes how this module parses them and where a definition stands.
#ifndef VIGIL_THREAT_INTERNAL_YAML_DOC_H_
#define VIGIL_THREAT_INTERNAL_YAML_DOC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/core/yaml_document.h"
#include "vigil/threat/model.h"

namespace vigil::threat::internal {

using YamlDoc = yaml::Document;
using Fields = yaml::Fields;
using yaml::EnumName;
using yaml::NameOf;

// A model or rule file: plain integers are numbers ("port: 443"), nesting at most 16 deep.
inline Result<YamlDoc> ParseYamlFile(std::string_view text, const std::string& file,
                                     uint64_t max_bytes) {
  return YamlDoc::Parse(text, file, YamlScalars::kIntegersAsNumbers,
                        YamlLimits{.max_bytes = max_bytes, .max_depth = 16});
}

// Where a node of `doc` stands, for the model's Location fields.
inline Location LocationOf(const YamlDoc& doc, const json::Node& node) {
  return {doc.file(), doc.LineOf(node.path())};
}
inline Location LocationOf(const Fields& f) { return LocationOf(f.doc(), f.node()); }

}  // namespace vigil::threat::internal

#endif  // VIGIL_THREAT_INTERNAL_YAML_DOC_H_
