// `vigil log append|checkpoint|verify|prove|export|vkey`: the tamper-evident audit log.
//
//   vigil log append --dir D --device ID --actor ID --role R --action A [--outcome O]
//                    [--purpose P] [--reason TEXT] [--interface I] [--source S] [--object ID]...
//   vigil log checkpoint --dir D --origin O --key K.pem [--key K2.pem]   (writes D/checkpoint)
//   vigil log vkey --key K.pem --origin O          (the verifier key line for that signer)
//   vigil log verify --dir D [--vkey V]... [--checkpoint OLD]
//   vigil log prove --dir D --index I | --from M   (inclusion / consistency proof, checked)
//   vigil log export --dir D [--from I] [--format jsonl|fhir|syslog] [--out F]
//        jsonl: one canonical event per line; fhir: a FHIR R4 Bundle of AuditEvents;
//        syslog: one RFC 5424 line per event
//   vigil log forward --dir D --host H [--port P] --ca CA.pem --cert C.pem --key K.pem
//                     [--server-name N] [--queue Q]
//        queues every entry not yet queued (durably, in Q, default D/syslog-queue) and sends
//        the queue to the collector over RFC 5425 syslog-over-TLS with mutual TLS; what the
//        collector did not take stays queued for the next run (exit 1 then).
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/audit/checkpoint.h"
#include "vigil/audit/event.h"
#include "vigil/audit/fhir_audit_event.h"
#include "vigil/audit/log_check.h"
#include "vigil/audit/syslog_message.h"
#include "vigil/audit/syslog_queue.h"
#include "vigil/audit/syslog_tls_forwarder.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/key_file.h"

namespace vigil::cli {
namespace {

using audit::Hash;

struct LogOptions {
  std::string dir, origin, reason, source, out, checkpoint, format = "jsonl";
  std::string host, server_name, ca, cert, key_file, queue;
  std::string fhir_namespace;  // export --format fhir: the manufacturer's namespace (required)
  uint16_t port = 6514;
  std::string device, actor, role = "none", action, outcome = "success", purpose = "none",
                             interface = "local-ui";
  std::vector<std::string> objects, keys, vkeys;
  uint64_t index = 0, from = 0;
  bool have_index = false, have_from = false, force = false;
};

// How a command opens the log: only `append` may create one (and says so); commands that add
// to an existing log refuse a missing one; reading commands change nothing on disk, so a torn
// tail is reported and left for the next writer to cut.
enum class LogAccess { kCreate, kWriteExisting, kRead };

Result<std::unique_ptr<audit::TileLog>> OpenLog(const std::string& dir, LogAccess access) {
  audit::TileLogOptions options;
  options.read_only = access == LogAccess::kRead;
  options.create_if_missing = access == LogAccess::kCreate;
  audit::RecoveryReport rep;
  auto log = audit::TileLog::Open(*Env::Default(), dir, options, &rep);
  if (!log) return log;
  if (rep.created) std::fprintf(stderr, "vigil log: created a new audit log in %s\n", dir.c_str());
  if (rep.cut_bytes > 0) {
    std::fprintf(stderr, "vigil log: recovered after a crash: cut %llu bytes: %s\n",
                 static_cast<unsigned long long>(rep.cut_bytes), rep.cut_detail.c_str());
  }
  if (!rep.torn_tail.empty()) {
    std::fprintf(stderr,
                 "vigil log: note: torn tail left in place (an unacknowledged append cut by a "
                 "crash; the next append cuts it): %s\n",
                 rep.torn_tail.c_str());
  }
  return log;
}

int RunAppend(const LogOptions& o) {
  audit::Event e;
  e.device_id = o.device;
  e.actor_id = o.actor;
  e.reason = o.reason;
  e.source = o.source;
  e.object_ids = o.objects;
  e.time_unix_micros = Env::Default()->NowUnixMicros();
  auto role = audit::ParseRoleCode(o.role);
  auto action = audit::ParseActionCode(o.action);
  auto outcome = audit::ParseOutcomeCode(o.outcome);
  auto purpose = audit::ParsePurposeCode(o.purpose);
  auto iface = audit::ParseInterfaceCode(o.interface);
  for (const Status& s : {Status(role ? OkStatus() : Status(role.error())),
                          Status(action ? OkStatus() : Status(action.error())),
                          Status(outcome ? OkStatus() : Status(outcome.error())),
                          Status(purpose ? OkStatus() : Status(purpose.error())),
                          Status(iface ? OkStatus() : Status(iface.error()))}) {
    if (!s) return ReportError("log append", s.error());
  }
  e.actor_role = *role;
  e.action = *action;
  e.outcome = *outcome;
  e.purpose = *purpose;
  e.interface = *iface;
  auto log = OpenLog(o.dir, LogAccess::kCreate);
  if (!log) return ReportError("log append", log.error());
  e.sequence = (*log)->size();
  auto entry = audit::EncodeEvent(e);
  if (!entry) return ReportError("log append", entry.error());
  auto index = (*log)->Append(*entry);
  if (!index) return ReportError("log append", index.error());
  std::printf("appended entry %llu (%s, %s)\n", static_cast<unsigned long long>(*index),
              std::string(audit::ActionCode(e.action)).c_str(),
              std::string(audit::OutcomeCode(e.outcome)).c_str());
  return kExitOk;
}

Result<std::vector<std::unique_ptr<audit::NoteSigner>>> LoadSigners(const LogOptions& o) {
  if (o.keys.empty()) return InvalidArgumentError("at least one --key is required");
  std::vector<std::unique_ptr<audit::NoteSigner>> out;
  for (const auto& path : o.keys) {
    VIGIL_ASSIGN_OR_RETURN(auto key, crypto::ReadPrivateKeyFile(*Env::Default(), path));
    auto signer = audit::NoteSigner::Create(o.origin, std::move(key));
    if (!signer) return signer.error().WithContext(path);
    out.push_back(std::move(*signer));
  }
  return out;
}

int RunCheckpoint(const LogOptions& o) {
  auto signers = LoadSigners(o);
  if (!signers) return ReportError("log checkpoint", signers.error());
  auto log = OpenLog(o.dir, LogAccess::kWriteExisting);
  if (!log) return ReportError("log checkpoint", log.error());
  if (Status s = (*log)->PublishPartialTiles(); !s) return ReportError("log checkpoint", s.error());
  std::vector<audit::NoteSigner*> raw;
  for (auto& s : *signers) raw.push_back(s.get());
  audit::CheckpointWriter writer(*Env::Default(), JoinPath(o.dir, "checkpoint"), o.origin, raw);
  auto root = (*log)->Root();
  if (!root) return ReportError("log checkpoint", root.error());
  auto note = writer.Sign((*log)->size(), *root, [&](uint64_t n) { return (*log)->RootAt(n); });
  if (!note) return ReportError("log checkpoint", note.error());
  std::fwrite(note->data(), 1, note->size(), stdout);
  return kExitOk;
}

int RunVkey(const LogOptions& o) {
  auto signers = LoadSigners(o);
  if (!signers) return ReportError("log vkey", signers.error());
  for (auto& s : *signers) std::printf("%s\n", s->VerifierKey().c_str());
  return kExitOk;
}

int RunVerify(const LogOptions& o) {
  std::vector<std::unique_ptr<audit::NoteVerifier>> vs;
  for (const auto& k : o.vkeys) {
    auto v = audit::NoteVerifier::Parse(k);
    if (!v) return ReportError("log verify", v.error());
    vs.push_back(std::move(*v));
  }
  std::vector<audit::NoteVerifier*> raw;
  for (const auto& v : vs) raw.push_back(v.get());
  Env& env = *Env::Default();
  std::string cp_path = JoinPath(o.dir, "checkpoint");
  if (!env.FileExists(cp_path) && env.FileExists(JoinPath(o.dir, "journal"))) {
    return ReportError("log verify", NotFoundError(cp_path +
                                                   ": no checkpoint yet; sign one with `vigil log "
                                                   "checkpoint --dir " +
                                                   o.dir + " --origin NAME --key KEY.pem`"));
  }
  auto cp = audit::ReadSignedCheckpoint(env, cp_path, raw);
  if (!cp) return ReportError("log verify", cp.error());
  std::optional<audit::Checkpoint> old;
  if (!o.checkpoint.empty()) {
    auto c = audit::ReadSignedCheckpoint(env, o.checkpoint, raw);
    if (!c) return ReportError("log verify", c.error());
    if (c->checkpoint.origin != cp->checkpoint.origin) {
      return ReportError("log verify", DataLossError(o.checkpoint + ": origin \"" +
                                                     c->checkpoint.origin + "\" is not this log's \"" +
                                                     cp->checkpoint.origin + "\""));
    }
    old = c->checkpoint;
  }
  auto check = audit::CheckLog(env, o.dir, cp->checkpoint, cp_path, old, o.checkpoint);
  if (!check) return ReportError("log verify", check.error());  // no log, unreadable: not tampering
  if (!check->intact) {
    std::fprintf(stderr, "vigil log verify: TAMPERED%s: %s\n", check->damaged ? " or damaged" : "",
                 check->problem.c_str());
    return kExitFindings;
  }
  const audit::VerifyReport& rep = check->report;
  if (!rep.torn_tail.empty())
    std::fprintf(stderr, "vigil log verify: note: %s\n", rep.torn_tail.c_str());
  std::printf("log OK: %llu entries (%llu checked, %llu tiles), checkpoint at %llu %s",
              static_cast<unsigned long long>(rep.size),
              static_cast<unsigned long long>(rep.entries_checked),
              static_cast<unsigned long long>(rep.tiles_checked),
              static_cast<unsigned long long>(cp->checkpoint.size),
              vs.empty() ? "(signatures not checked: no --vkey)"
                         : ("signed by " + std::to_string(cp->verified_by) + " known key(s)").c_str());
  if (old)
    std::printf(", consistent with checkpoint at %llu", static_cast<unsigned long long>(old->size));
  std::printf("\n");
  return kExitOk;
}

std::string Proof(const std::vector<Hash>& p) {
  std::string s = "[";
  for (size_t i = 0; i < p.size(); ++i) s += (i ? ",\"" : "\"") + Base64Encode(p[i]) + "\"";
  return s + "]";
}

int RunProve(const LogOptions& o) {
  auto log = OpenLog(o.dir, LogAccess::kRead);
  if (!log) return ReportError("log prove", log.error());
  if (o.have_index == o.have_from) {
    return ReportError("log prove", InvalidArgumentError("give exactly one of --index or --from"));
  }
  if (o.have_index) {
    auto e = audit::ProveInclusion(**log, o.index);
    if (!e) return ReportError("log prove", e.error());
    std::printf(
        "{\"type\":\"inclusion\",\"leaf_index\":%llu,\"tree_size\":%llu,\"leaf_hash\":\"%s\","
        "\"root\":\"%s\",\"proof\":%s}\n",
        static_cast<unsigned long long>(e->leaf_index), static_cast<unsigned long long>(e->tree_size),
        Base64Encode(e->leaf_hash).c_str(), Base64Encode(e->root).c_str(), Proof(e->proof).c_str());
    return kExitOk;
  }
  auto e = audit::ProveConsistency(**log, o.from);
  if (!e) return ReportError("log prove", e.error());
  std::printf(
      "{\"type\":\"consistency\",\"size1\":%llu,\"size2\":%llu,\"root1\":\"%s\","
      "\"root2\":\"%s\",\"proof\":%s}\n",
      static_cast<unsigned long long>(e->size1), static_cast<unsigned long long>(e->size2),
      Base64Encode(e->root1).c_str(), Base64Encode(e->root2).c_str(), Proof(e->proof).c_str());
  return kExitOk;
}

// Calls `visit(index, entry bytes, event)` for every retained entry from `from` on.
template <typename Visit>
Status ForEachEvent(audit::TileLog& log, uint64_t from, Visit visit) {
  for (uint64_t i = std::max(from, log.pruned_below()); i < log.size(); ++i) {
    auto entry = log.Entry(i);
    if (!entry) return entry.error();
    auto ev = audit::DecodeEvent(*entry);
    if (!ev) return ev.error().WithContext("entry " + std::to_string(i));
    if (Status s = visit(i, *entry, *ev); !s)
      return s.error().WithContext("entry " + std::to_string(i));
  }
  return OkStatus();
}

// FHIR codes and identifiers of the manufacturer's own live under a namespace it controls; no
// placeholder stands in for it.
Result<audit::FhirNamespace> FhirNamespaceOf(const LogOptions& o) {
  if (o.fhir_namespace.empty()) {
    return InvalidArgumentError(
        "--format fhir: --fhir-namespace URL is required (the manufacturer's namespace for "
        "Vigil's own FHIR codes and identifiers, e.g. https://fhir.example-medical.com)");
  }
  auto ns = audit::FhirNamespace::Create(o.fhir_namespace);
  if (!ns) return InvalidArgumentError("--fhir-namespace: " + ns.error().message());
  return ns;
}

Result<std::string> RenderExport(audit::TileLog& log, const LogOptions& o) {
  std::string out;
  std::vector<audit::Event> events;
  Status s = ForEachEvent(log, o.from,
                          [&](uint64_t, const Bytes& entry, const audit::Event& ev) -> Status {
                            if (o.format == "jsonl") {
                              out.append(entry.begin(), entry.end());
                              out += '\n';
                            } else if (o.format == "syslog") {
                              auto line = audit::ToSyslog5424(ev);
                              if (!line) return line.error();
                              out += *line;
                              out += '\n';
                            } else {
                              events.push_back(ev);
                            }
                            return OkStatus();
                          });
  if (!s) return s.error();
  if (o.format == "fhir") {
    auto ns = FhirNamespaceOf(o);
    if (!ns) return ns.error();
    auto bundle = audit::ToFhirAuditEventBundle(events, *ns);
    if (!bundle) return bundle.error();
    out = std::move(*bundle) + "\n";
  }
  return out;
}

int RunExport(const LogOptions& o) {
  if (o.format != "jsonl" && o.format != "fhir" && o.format != "syslog")
    return ReportError("log export", InvalidArgumentError("--format: expected jsonl, fhir or "
                                                          "syslog, got '" +
                                                          o.format + "'"));
  if (o.format == "fhir") {
    if (auto ns = FhirNamespaceOf(o); !ns) return ReportError("log export", ns.error());
  }
  auto log = OpenLog(o.dir, LogAccess::kRead);
  if (!log) return ReportError("log export", log.error());
  auto out = RenderExport(**log, o);
  if (!out) return ReportError("log export", out.error());
  if (o.out.empty()) {
    std::fwrite(out->data(), 1, out->size(), stdout);
    return kExitOk;
  }
  if (Status s = WriteOutput(o.out, AsBytes(*out), o.force); !s)
    return ReportError("log export", s.error());
  return kExitOk;
}

int RunForward(const LogOptions& o) {
  auto log = OpenLog(o.dir, LogAccess::kRead);
  if (!log) return ReportError("log forward", log.error());
  const std::string qdir = o.queue.empty() ? o.dir + "/syslog-queue" : o.queue;
  auto queue = audit::SyslogQueue::Open(Env::Default(), qdir);
  if (!queue) return ReportError("log forward", queue.error());
  // The cursor (the first entry not yet queued) lives beside the queue it describes.
  auto queued = audit::QueueNewEntries(*Env::Default(), **log, **queue, qdir + "/log-cursor");
  if (!queued) return ReportError("log forward", queued.error());
  audit::SyslogTlsOptions t;
  t.host = o.host;
  t.port = o.port;
  t.server_name = o.server_name;
  t.ca_file = o.ca;
  t.cert_file = o.cert;
  t.key_file = o.key_file;
  auto fwd = audit::SyslogTlsForwarder::Create(queue->get(), t);
  if (!fwd) return ReportError("log forward", fwd.error());
  const size_t before = (*queue)->size();
  Status sent = (*fwd)->SendPending();
  const size_t left = (*queue)->size();
  std::printf("queued %llu new event(s); sent %zu; %zu pending\n",
              static_cast<unsigned long long>(*queued), before - left, left);
  if (!sent) {
    std::fprintf(stderr, "vigil log forward: %s (the %zu pending event(s) stay queued in %s)\n",
                 OneLine(sent.error().message()).c_str(), left, qdir.c_str());
    return kExitFindings;
  }
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto* log = app.add_subcommand(
      "log", "Tamper-evident audit log (append, checkpoint, verify, prove, export)");
  log->require_subcommand(1);
  auto o = std::make_shared<LogOptions>();
  auto dir = [&](CLI::App* c) { c->add_option("--dir", o->dir, "Log directory")->required(); };

  auto* append =
      log->add_subcommand("append", "Append one security event (durable before it returns)");
  dir(append);
  append->add_option("--device", o->device, "Device identifier (the observer)")->required();
  append->add_option("--actor", o->actor,
                     "Actor identifier (account or component id, never a name)");
  append->add_option(
      "--role", o->role,
      "none|patient|clinician|service-technician|administrator|manufacturer-service|system");
  append
      ->add_option("--action", o->action,
                   "Action code, e.g. auth.login, access.decision, emergency.open")
      ->required();
  append->add_option("--outcome", o->outcome,
                     "success|minor-failure|serious-failure|major-failure");
  append->add_option("--purpose", o->purpose, "none|treatment|break-glass|maintenance|security");
  append->add_option("--reason", o->reason,
                     "Short reason (mandatory for break-glass; no patient data)");
  append->add_option("--interface", o->interface,
                     "local-ui|network|service-port|wireless|internal");
  append->add_option("--source", o->source, "Source address or port identifier");
  append->add_option("--object", o->objects, "Object identifier (repeatable)");
  append->callback([o] { SetExitCode(RunAppend(*o)); });

  auto* cp = log->add_subcommand("checkpoint",
                                 "Publish partial tiles and sign a checkpoint (DIR/checkpoint)");
  dir(cp);
  cp->add_option("--origin", o->origin, "Log origin line, also the key name")->required();
  cp->add_option("--key", o->keys, "Signing key PEM (Ed25519 and/or ML-DSA; repeatable)")
      ->required();
  cp->callback([o] { SetExitCode(RunCheckpoint(*o)); });

  auto* vkey = log->add_subcommand("vkey", "Print the verifier key line for a signing key");
  vkey->add_option("--origin", o->origin, "Log origin (key name)")->required();
  vkey->add_option("--key", o->keys, "Signing key PEM (repeatable)")->required();
  vkey->callback([o] { SetExitCode(RunVkey(*o)); });

  auto* verify =
      log->add_subcommand("verify", "Recompute the log from disk and check its checkpoint");
  dir(verify);
  verify->add_option("--vkey", o->vkeys,
                     "Verifier key (repeatable); without one, signatures are not checked");
  verify->add_option("--checkpoint", o->checkpoint,
                     "An older checkpoint the log must be consistent with");
  verify->callback([o] { SetExitCode(RunVerify(*o)); });

  auto* prove =
      log->add_subcommand("prove", "Print an inclusion (--index) or consistency (--from) proof");
  dir(prove);
  prove
      ->add_option_function<uint64_t>(
          "--index",
          [o](uint64_t v) {
            o->index = v;
            o->have_index = true;
          },
          "Entry index")
      ->check(NonNegative());
  prove
      ->add_option_function<uint64_t>(
          "--from",
          [o](uint64_t v) {
            o->from = v;
            o->have_from = true;
          },
          "Older tree size")
      ->check(NonNegative());
  prove->callback([o] { SetExitCode(RunProve(*o)); });

  auto* exp =
      log->add_subcommand("export", "Export events (JSON lines, FHIR R4 AuditEvent, syslog)");
  dir(exp);
  exp->add_option("--from", o->from, "First entry index")->check(NonNegative());
  exp->add_option("--format", o->format,
                  "jsonl (canonical events), fhir (R4 Bundle of AuditEvent), syslog (RFC 5424)");
  exp->add_option("--fhir-namespace", o->fhir_namespace,
                  "With --format fhir (required): the manufacturer's http(s) URL under which "
                  "Vigil's own FHIR codes and identifier systems are named");
  AddOutOption(exp, o->out, "Output file (default: standard output)");
  exp->add_flag("--force", o->force, "Overwrite --out if it exists");
  exp->callback([o] { SetExitCode(RunExport(*o)); });

  auto* fwd = log->add_subcommand(
      "forward", "Queue new events durably and send them over syslog-over-TLS (RFC 5425)");
  dir(fwd);
  fwd->add_option("--host", o->host, "Collector host")->required();
  fwd->add_option("--port", o->port, "Collector port (default 6514)");
  fwd->add_option("--server-name", o->server_name, "Name the collector certificate must carry");
  fwd->add_option("--ca", o->ca, "CA certificate(s) that issue collector certificates")->required();
  fwd->add_option("--cert", o->cert, "This device's certificate (PEM)")->required();
  fwd->add_option("--key", o->key_file, "This device's private key (PEM)")->required();
  fwd->add_option("--queue", o->queue, "Send-queue directory (default DIR/syslog-queue)");
  fwd->callback([o] { SetExitCode(RunForward(*o)); });
}

VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
