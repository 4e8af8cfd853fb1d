// End of support per device and per component (support.h), warned about once per (item, stage).
#include "vigil/fleet/support.h"

#include <algorithm>

#include "internal/fleet_impl.h"
#include "vigil/core/dates.h"
#include "vigil/core/json.h"
#include "vigil/core/yaml_to_json.h"
#include "vigil/fleet/webhook.h"
#include "vigil/sbom/sbom_reader.h"

namespace vigil::fleet {
namespace {

Result<std::string> OptionalDate(const json::Node& entry, std::string_view key) {
  json::Node n = entry.Get(key);
  if (!n.present()) return std::string();
  VIGIL_ASSIGN_OR_RETURN(std::string text, n.String());
  if (!ParseDate(text)) return n.Invalid("expected a date YYYY-MM-DD, got '" + text + "'");
  return text;
}

Result<ComponentSupport> ReadEntry(const json::Node& e) {
  VIGIL_RETURN_IF_ERROR(e.ExpectObject());
  VIGIL_RETURN_IF_ERROR(
      e.RefuseUnknown({"name", "version", "end_of_guaranteed_support", "end_of_support"}));
  ComponentSupport c;
  VIGIL_ASSIGN_OR_RETURN(c.name, e.Get("name").String());
  if (c.name.empty()) return e.Get("name").Invalid("must not be empty");
  if (e.Has("version")) {
    VIGIL_ASSIGN_OR_RETURN(c.version, e.Get("version").String());
  }
  VIGIL_ASSIGN_OR_RETURN(c.end_of_guaranteed_support, OptionalDate(e, "end_of_guaranteed_support"));
  VIGIL_ASSIGN_OR_RETURN(c.end_of_support, OptionalDate(e, "end_of_support"));
  if (c.end_of_guaranteed_support.empty() && c.end_of_support.empty()) {
    return e.Invalid("expected end_of_guaranteed_support or end_of_support");
  }
  if (!c.end_of_guaranteed_support.empty() && !c.end_of_support.empty() &&
      c.end_of_guaranteed_support > c.end_of_support) {
    return e.Invalid("end_of_guaranteed_support is after end_of_support");
  }
  return c;
}

// A component support entry covers a component by its name or its purl without the version.
bool Covers(const ComponentSupport& s, const sbom::Component& c) {
  std::string_view purl = c.purl_text;
  purl = purl.substr(0, purl.find_first_of("@?#"));
  if (s.name != c.name && s.name != purl) return false;
  return s.version.empty() || s.version == c.version;
}

struct Candidate {
  SupportWarning w;
  std::string key;  // the notice's item key
};

void Consider(std::vector<Candidate>& out, SupportWarning w, int64_t as_of, int64_t warn_days) {
  const std::optional<int64_t> day = ParseDate(w.date);
  if (!day || *day - as_of > warn_days) return;
  w.days = *day - as_of;
  std::string key = w.kind + "|" + w.product + "|" + w.release + "|" + w.item;
  out.push_back({std::move(w), std::move(key)});
}

}  // namespace

Result<std::vector<ComponentSupport>> ParseComponentSupport(std::string_view text,
                                                            std::string_view source) {
  if (text.size() > kMaxSupportFileBytes) {
    return ResourceExhaustedError(std::string(source) + ": larger than " +
                                  std::to_string(kMaxSupportFileBytes) + " bytes");
  }
  std::string json_text(text);
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) {
    VIGIL_ASSIGN_OR_RETURN(json_text, YamlToJson(text, source, YamlScalars::kStrings, {}));
  }
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(json_text, source));
  json::Node root(doc, source);
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"components"}));
  VIGIL_ASSIGN_OR_RETURN(std::vector<json::Node> entries, root.Get("components").Elements());
  std::vector<ComponentSupport> out;
  for (const json::Node& e : entries) {
    VIGIL_ASSIGN_OR_RETURN(ComponentSupport c, ReadEntry(e));
    out.push_back(std::move(c));
  }
  return out;
}

Status CreateSupportTables(storage::Database& db) {
  return db.Exec(
      "CREATE TABLE fleet_support_notices (item TEXT NOT NULL, stage TEXT NOT NULL,"
      " date TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (item, stage))");
}

namespace {

Status DeviceItems(storage::Database& db, std::vector<Candidate>& out, int64_t as_of,
                   int64_t warn_days) {
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare("SELECT serial, product, installed_release, support_end FROM fleet_devices"
                 " WHERE support_end <> '' AND support_end <= ? ORDER BY support_end, serial"));
  VIGIL_RETURN_IF_ERROR(s.BindText(1, FormatDate(as_of + warn_days)));
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return OkStatus();
    Consider(out,
             {"device", std::string(s.ColumnText(0)), std::string(s.ColumnText(1)),
              std::string(s.ColumnText(2)), std::string(kStageEndOfSupport),
              std::string(s.ColumnText(3)), 0, false},
             as_of, warn_days);
  }
}

Status ComponentItems(Fleet& fleet, Env& env, const SupportOptions& o, std::vector<Candidate>& out,
                      int64_t as_of) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<Release> releases, fleet.Releases(""));
  for (const Release& r : releases) {
    if (r.sbom.empty()) continue;
    const std::string where = "release " + r.product + " " + r.version + " (sbom " + r.sbom + ")";
    auto text = env.ReadFile(r.sbom);
    if (!text) return Error(text.error().code(), where + ": " + text.error().message());
    auto doc = sbom::ReadSbom(AsStringView(*text), r.sbom);
    if (!doc) return Error(doc.error().code(), where + ": " + doc.error().message());
    for (const sbom::Component& c : doc->components) {
      std::string eogs, eos = c.end_of_support.value_or("");
      for (const ComponentSupport& s : o.components) {
        if (!Covers(s, c)) continue;
        if (!s.end_of_guaranteed_support.empty()) eogs = s.end_of_guaranteed_support;
        if (!s.end_of_support.empty()) eos = s.end_of_support;
      }
      const std::string item = c.name + "@" + c.version;
      // Only the stage reached last is worth a warning: an item past EoS is not also warned
      // about entering Limited Support.
      const std::optional<int64_t> eos_day = ParseDate(eos);
      const bool past_eos = eos_day && *eos_day <= as_of;
      if (!eogs.empty() && !past_eos) {
        Consider(out,
                 {"component", item, r.product, r.version, std::string(kStageLimitedSupport), eogs,
                  0, false},
                 as_of, o.warn_days);
      }
      if (!eos.empty()) {
        Consider(out,
                 {"component", item, r.product, r.version, std::string(kStageEndOfSupport), eos, 0,
                  false},
                 as_of, o.warn_days);
      }
    }
  }
  return OkStatus();
}

}  // namespace

Result<std::vector<SupportWarning>> Fleet::CheckSupport(const SupportOptions& o) {
  Impl& im = *impl_;
  int64_t as_of = im.env->NowUnixMicros() / 86'400'000'000;
  if (!o.as_of.empty()) {
    const std::optional<int64_t> day = ParseDate(o.as_of);
    if (!day)
      return InvalidArgumentError("as of: expected a date YYYY-MM-DD, got '" + o.as_of + "'");
    as_of = *day;
  }
  if (o.warn_days < 0) return InvalidArgumentError("warn days: must not be negative");
  std::vector<Candidate> found;
  VIGIL_RETURN_IF_ERROR(DeviceItems(im.db, found, as_of, o.warn_days));
  VIGIL_RETURN_IF_ERROR(ComponentItems(*this, *im.env, o, found, as_of));
  std::stable_sort(found.begin(), found.end(),
                   [](const Candidate& a, const Candidate& b) { return a.w.date < b.w.date; });
  VIGIL_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(im.db));
  VIGIL_ASSIGN_OR_RETURN(
      storage::Statement * note,
      im.db.Cached("INSERT INTO fleet_support_notices (item, stage, date, at) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (item, stage) DO NOTHING"));
  std::vector<SupportWarning> out;
  for (Candidate& c : found) {
    VIGIL_RETURN_IF_ERROR(note->BindText(1, c.key));
    VIGIL_RETURN_IF_ERROR(note->BindText(2, c.w.stage));
    VIGIL_RETURN_IF_ERROR(note->BindText(3, c.w.date));
    VIGIL_RETURN_IF_ERROR(note->BindText(4, im.Now()));
    VIGIL_RETURN_IF_ERROR(note->Run());
    c.w.first = im.db.Changes() > 0;
    if (c.w.first) {
      VIGIL_RETURN_IF_ERROR(
          im.Enqueue(kEventSupportWarning, json::Value::MakeObject({{"kind", c.w.kind},
                                                                    {"item", c.w.item},
                                                                    {"product", c.w.product},
                                                                    {"release", c.w.release},
                                                                    {"stage", c.w.stage},
                                                                    {"date", c.w.date},
                                                                    {"days", c.w.days}})));
    }
    out.push_back(std::move(c.w));
  }
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return out;
}

}  // namespace vigil::fleet
