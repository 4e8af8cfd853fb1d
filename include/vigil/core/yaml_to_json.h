// YamlToJson: the one way Vigil reads YAML. A YAML document (an access policy, an OSV advisory
// from the PyPI database) is turned into compact JSON text, and the JSON reader of that format is
// then the only reader: one parser per format to validate, fuzz and keep bounded.
//
// Only the part of YAML that is JSON with a friendlier syntax is accepted. Refused, each with a
// one-line InvalidArgument "SOURCE:LINE:COLUMN: what was found and what is expected":
//  - anchors (&a) and aliases (*a), at the first one and before anything is expanded: nested
//    aliases ("billion laughs") let a 1 KB file expand to gigabytes;
//  - merge keys (a plain `<<` key), which exist only to copy an aliased mapping;
//  - a second document in the stream (`---` … `---`);
//  - nesting deeper than YamlLimits::max_depth collections;
//  - a mapping key that is not a string (a null, a sequence or a mapping as key), and the same
//    key twice in one mapping (which of the two would win is not something to guess about in a
//    security policy).
// Text longer than YamlLimits::max_bytes is refused before parsing with ResourceExhausted
// "SOURCE: N bytes, over the LIMIT limit for a YAML document". With these rules the JSON is at
// most a small constant times the size of the YAML (under 8x, which fuzz_yaml_to_json checks;
// `{a,b}` becoming `{"a":null,"b":null}` is the largest growth known, 4.5x), so the memory a
// document costs is bounded by its size.
//
// Scalars: tags are ignored; a quoted scalar is always a string; a plain (unquoted) scalar is
// null for ~, null, Null, NULL or nothing, true/false for true, True, TRUE, false, False, FALSE,
// and a string otherwise ("1.10" stays the version 1.10, not the float 1.1), except that with
// YamlScalars::kIntegersAsNumbers a plain run of 1 to 18 decimal digits is a JSON integer.
// An empty stream is the document null. Text that is not UTF-8 (or UTF-16 with a byte order
// mark) or that holds control characters is refused, as YAML requires.
//
// Memory: the parser (libyaml) streams, so the conversion needs the JSON text, the keys of the
// open mappings (to refuse duplicates) and well under 1 MiB more, whatever the shape of the
// input: a 1 MiB document peaks under 14 MiB in an optimised build (yaml_to_json_test.cc checks
// the flat and nested flow collections that cost yaml-cpp's scanner 84 to 348 MiB).
//
// Thread-safety: a pure function; safe to call from any thread.
#ifndef VIGIL_CORE_YAML_TO_JSON_H_
#define VIGIL_CORE_YAML_TO_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vigil/core/result.h"

namespace vigil {

struct YamlLimits {
  uint64_t max_bytes = 1u << 20;  // the YAML text, before parsing
  int max_depth = 64;             // nested sequences and mappings
};

enum class YamlScalars {
  kStrings,            // plain scalars other than null/true/false stay strings
  kIntegersAsNumbers,  // and a plain unsigned decimal integer (1..18 digits) is a number
};

// Where each value of a converted document starts, for readers whose messages name a line
// ("model.yaml:12: assets[3].kind: ..."): the JSON path of the value, written as json::Node
// writes it ("$", "$.assets[3].kind", "$[\"odd key\"]"), to its 1-based line. A member's line
// is the line of its key; an element's, the line where it starts.
using YamlLines = std::unordered_map<std::string, int>;

// Converts one YAML document to compact JSON. `source` names the document in messages. Errors:
// InvalidArgument for malformed YAML and the refusals above; ResourceExhausted over max_bytes.
// When `lines` is not null it receives the line of every value (it is cleared first); keeping
// them costs one path string per value, so readers that do not report lines pass null.
Result<std::string> YamlToJson(std::string_view yaml, std::string_view source, YamlScalars scalars,
                               const YamlLimits& limits, YamlLines* lines = nullptr);

}  // namespace vigil

#endif  // VIGIL_CORE_YAML_TO_JSON_H_
