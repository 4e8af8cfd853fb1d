// Regulatory frameworks as data: versioned YAML files (the repository's own are in
// report/frameworks/), each a list of requirements with stable ids that a threat model's controls
// name (`requirements: {FRAMEWORK: [ID, ...]}`) and that the premarket package covers one by one.
//
//   framework: fda-premarket-appendix-1     # the id controls and `not_applicable:` use
//   name: FDA premarket cybersecurity guidance, Appendix 1 security control categories
//   version: "2025-06"                      # the edition the file follows
//   source: https://...                     # where the requirements come from
//   kind: coverage                          # coverage (default) | labeling | questionnaire
//   requirements:
//     - id: A
//       title: Authentication
//       text: what it asks for (our own words)
//       answered_by: interfaces             # labeling / questionnaire only: which part of the
//                                           # model answers it (AnswerSource), absent: nothing
//
// Every error is one line InvalidArgument "FILE:LINE: FIELD: what was expected" (FIELD is the
// JSON path without "$."): "fda.yaml:14: requirements[2].id: duplicate id \"C\" (first at
// fda.yaml:11)".
//
// Thread-safety: plain values; ParseFramework is reentrant.
#ifndef VIGIL_REPORT_FRAMEWORK_H_
#define VIGIL_REPORT_FRAMEWORK_H_

#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::report {

// What a framework file is for: requirements covered by controls, the labeling items the
// package answers, or the questions of a questionnaire (MDS2) it answers from the model.
enum class FrameworkKind { kCoverage, kLabeling, kQuestionnaire };

// The part of the model (or of the package's inputs) that answers a labeling item or a question.
enum class AnswerSource {
  kNone,            // nothing in the model answers it: listed as unanswered
  kInterfaces,      // interfaces and links (ports, protocols, authentication, encryption)
  kUpdates,         // the update path (links marked update_path) and its signing
  kLogging,         // assets that audit and log off the device
  kViews,           // the architecture views
  kSbom,            // the SBOM
  kEndOfSupport,    // the SBOM's end-of-support dates
  kResilience,      // clinical functions' safe states and tolerable outages, watchdogs, failover
  kControls,        // the controls catalogue
  kPhi,             // data assets holding PHI and where they are stored
  kEncryptionRest,  // PHI stores encrypted at rest
  kTransmission,    // links: encryption and integrity (signed, anti-replay)
  kAuthentication,  // how assets and links authenticate
};
std::string_view AnswerSourceName(AnswerSource s);

struct Requirement {
  std::string id;
  std::string title;
  std::string text;
  AnswerSource answered_by = AnswerSource::kNone;
  std::string at;  // "FILE:LINE"
};

struct Framework {
  std::string id;
  std::string name;
  std::string version;
  std::string source;
  FrameworkKind kind = FrameworkKind::kCoverage;
  std::vector<Requirement> requirements;  // in file order
  std::string file;

  const Requirement* Find(std::string_view id) const;
};

// Reads one framework file; `file` names it in errors.
Result<Framework> ParseFramework(std::string_view yaml, const std::string& file);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_FRAMEWORK_H_
