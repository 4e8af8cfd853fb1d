// CWE weaknesses an advisory assigns to its vulnerability, carried to findings and reports (CSAF
// `cwe`, CycloneDX `cwes`, SARIF tags).
//
// Sources differ in what they state: CVE JSON 5 problemTypes give the id and MITRE's name
// ("CWE-787", "Out-of-bounds Write"); NVD's weaknesses and OSV's database_specific.cwe_ids
// (GitHub advisories) give the id alone. Names are never invented: an id without a stated name
// keeps an empty name.
#ifndef VIGIL_VULN_WEAKNESS_H_
#define VIGIL_VULN_WEAKNESS_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::vuln {

struct Weakness {
  std::string id;    // "CWE-787"
  std::string name;  // "Out-of-bounds Write", or empty when no source states it
  bool operator==(const Weakness&) const = default;
};

// Whether `id` is a CWE identifier: "CWE-" and 1 to 6 digits without a leading zero (CSAF 2.0's
// pattern). NVD's placeholders "NVD-CWE-Other" and "NVD-CWE-noinfo" are not.
bool IsCweId(std::string_view id);

// Adds a weakness to `list` in stated order. An id already listed is not repeated, but a name
// stated now fills an empty one. Ids that are not CWE ids are left out; returns whether `id` was
// one.
bool AddWeakness(std::vector<Weakness>& list, std::string_view id, std::string_view name);

// The weakness for CSAF's one `cwe` field, which requires a name: the first of `list` a source
// names, or null when none is named (an id alone is left out rather than given a made-up name;
// the informative test 6.3.4 then notes the missing CWE).
const Weakness* CsafWeakness(std::span<const Weakness> list);

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_WEAKNESS_H_
