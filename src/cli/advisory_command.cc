// `vigil advisory --register R --product P --id ID --publisher NAME --publisher-namespace URL
// [...] --out FILE`: the CSAF 2.0 security advisory of a product from the triage register
// (vigil/triage/advisory.h). Issuing the same --id again writes the next revision; an issued
// (not draft) advisory marks its records as notified in the register.
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/triage/advisory.h"
#include "vigil/triage/register.h"

namespace vigil::cli {
namespace {

struct AdvisoryOptions {
  std::string register_path, product, id, title, vendor, publisher, publisher_namespace, contact;
  std::string tlp = "WHITE";
  std::string status = "final", summary, revision_summary, canonical_url, output;
  std::vector<std::string> vulnerabilities;
  bool force = false;
};

Result<vuln::csaf::DocumentStatus> StatusOf(const std::string& s) {
  if (s == "final") return vuln::csaf::DocumentStatus::kFinal;
  if (s == "interim") return vuln::csaf::DocumentStatus::kInterim;
  if (s == "draft") return vuln::csaf::DocumentStatus::kDraft;
  return InvalidArgumentError("--status: expected final, interim or draft, got '" + OneLine(s) +
                              "'");
}

Status Run(const AdvisoryOptions& o) {
  VIGIL_RETURN_IF_ERROR(CheckCsafPublisher(o.publisher, o.publisher_namespace));
  triage::AdvisoryRequest req;
  req.product = o.product;
  req.tracking_id = o.id;
  req.title = o.title;
  req.vendor = o.vendor;
  req.publisher = {o.publisher, o.publisher_namespace, o.contact, ""};
  VIGIL_ASSIGN_OR_RETURN(req.status, StatusOf(o.status));
  req.summary = o.summary;
  req.revision_summary = o.revision_summary;
  req.canonical_url = o.canonical_url;
  VIGIL_ASSIGN_OR_RETURN(req.tlp, ParseTlpOption(o.tlp));
  req.vulnerabilities = o.vulnerabilities;
  req.now = NowRfc3339();
  triage::RegisterOptions ro;
  ro.path = o.register_path;
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, triage::Register::Open(ro, *Env::Default()));
  VIGIL_ASSIGN_OR_RETURN(
      int revision, triage::IssueAdvisory(reg, req, [&](const std::string& doc) -> Status {
        if (o.output.empty() || o.output == "-") {
          std::fwrite(doc.data(), 1, doc.size(), stdout);
          return OkStatus();
        }
        return WriteOutput(o.output, AsBytes(doc), o.force);
      }));
  if (!o.output.empty() && o.output != "-") {
    std::printf("%s: CSAF 2.0 security advisory %s revision %d (%s)%s\n", o.output.c_str(),
                o.id.c_str(), revision, o.status.c_str(),
                o.status == "draft" ? "; drafts are not recorded as customer notices"
                                    : "; recorded in the register as the customer notice");
  }
  return OkStatus();
}

void Setup(CLI::App& app) {
  auto o = std::make_shared<AdvisoryOptions>();
  auto* c = app.add_subcommand(
      "advisory", "Write a CSAF 2.0 security advisory of a product from the triage register");
  c->add_option("--register", o->register_path, "Triage register file")->required();
  c->add_option("--product", o->product, "Product name in the register")->required();
  c->add_option("--id", o->id, "Tracking id of the advisory (the same id again: a new revision)")
      ->required();
  c->add_option("--publisher", o->publisher, "Publisher (manufacturer) name")->required();
  c->add_option("--publisher-namespace", o->publisher_namespace, "Publisher URL")->required();
  c->add_option("--contact", o->contact, "Publisher contact details (e.g. psirt@…)");
  c->add_option("--vendor", o->vendor, "Vendor in the product tree (default: the publisher)");
  c->add_option("--title", o->title, "Document title (default: product and components)");
  c->add_option("--summary", o->summary, "Summary note of the document");
  c->add_option("--revision-summary", o->revision_summary,
                "What this revision says (default: Initial version. / Updated.)");
  c->add_option("--status", o->status, "final, interim or draft (drafts are not recorded)");
  c->add_option("--tlp", o->tlp,
                "Distribution: WHITE (default: an advisory is published), GREEN, AMBER or RED");
  c->add_option("--canonical-url", o->canonical_url, "Where the document is published (https)");
  c->add_option("--vulnerability", o->vulnerabilities,
                "Only this vulnerability (CVE or advisory id); repeatable");
  AddOutOption(c, o->output, "Output file (default: standard output)");
  c->add_flag("--force", o->force, "Replace an existing output file");
  c->callback([o] {
    Status s = Run(*o);
    SetExitCode(s ? kExitOk : ReportError("advisory", s.error()));
  });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
