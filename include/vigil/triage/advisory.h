// A manufacturer's CSAF 2.0 security advisory (vuln/csaf_advisory.h) written from the triage
// register: the product's releases as the product tree, and per vulnerability its status in each
// release as the register's history says (the last decision about that release; a release after
// the fix counts as fixed), the advisory's and the device's CVSS vectors, remediations (the
// release with the fix as vendor_fix, a stated action or compensating control as mitigation),
// threats (a KEV listing as exploit_status; the risk of patient harm as impact) and the date it
// was found. Issuing again under the same tracking id adds a revision to the history the register
// keeps, and marks the records it covers as notified (the 30-day customer notice).
//
// Thread-safety: the Register belongs to the calling thread.
#ifndef VIGIL_TRIAGE_ADVISORY_H_
#define VIGIL_TRIAGE_ADVISORY_H_

#include <functional>
#include <string>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/csaf_advisory.h"

namespace vigil::triage {

struct AdvisoryRequest {
  std::string product;
  std::string tracking_id;  // the publisher's id, "DEMO-2026-001"
  std::string title;        // default: "<product>: vulnerabilities in <components>"
  std::string vendor;       // default: the publisher's name
  vuln::csaf::Publisher publisher;
  vuln::csaf::DocumentStatus status = vuln::csaf::DocumentStatus::kFinal;
  std::string summary;           // the document's summary note
  std::string revision_summary;  // default: "Initial version." / "Updated."
  std::string canonical_url;     // optional
  vuln::csaf::Tlp tlp = vuln::csaf::Tlp::kWhite;  // the distribution label (public by default)
  std::vector<std::string> vulnerabilities;  // only these (CVE or advisory ids); empty: every one
  std::string now;                           // RFC 3339 UTC: the revision's date
};

// Builds the advisory from the register. InvalidArgument when the product has no record (or none
// of the requested vulnerabilities), naming them.
Result<vuln::csaf::Advisory> BuildAdvisory(Register& reg, const AdvisoryRequest& request);

// Writes it (vuln::csaf::WriteCsafAdvisory), hands the document to `publish` (which writes the
// file), and only then, unless it is a draft, records the issue in the register: the revision
// and the records it covers (notified). A failed publish records nothing. Returns the revision
// number issued.
Result<int> IssueAdvisory(Register& reg, const AdvisoryRequest& request,
                          const std::function<Status(const std::string&)>& publish);

}  // namespace vigil::triage

#endif  // VIGIL_TRIAGE_ADVISORY_H_
