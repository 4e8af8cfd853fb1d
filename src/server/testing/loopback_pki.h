// For tests and benchmarks of the server on loopback: a manufacturer CA made by the identity
// module, the server's certificate (issued by that CA for "localhost"), device certificates
// from the same CA, and a device's audit log (audit::TileLog) whose signed checkpoints a
// check-in carries. Everything is written as PEM files in one folder, as `vigil serve` reads
// them. Header-only: the server's tests and bench/server include it.
#ifndef VIGIL_SERVER_TESTING_LOOPBACK_PKI_H_
#define VIGIL_SERVER_TESTING_LOOPBACK_PKI_H_

#include <memory>
#include <string>

#include "vigil/audit/checkpoint.h"
#include "vigil/audit/event.h"
#include "vigil/audit/log_check.h"
#include "vigil/audit/tile_log.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/signature.h"
#include "vigil/fleet/checkin.h"
#include "vigil/identity/device_cert.h"
#include "vigil/server/server.h"

namespace vigil::server::testing {

struct CertFiles {
  std::string cert, key;  // paths of the PEM certificate and private key
};

class LoopbackPki {
 public:
  // Makes the CA and the server's certificate under `dir` (ca.pem, server.pem, server.key).
  static Result<LoopbackPki> Create(const std::string& dir) {
    LoopbackPki p;
    p.dir_ = dir;
    Env& env = *Env::Default();
    const int64_t now = env.NowUnixMicros() / 1000000;
    VIGIL_ASSIGN_OR_RETURN(p.ca_key_, crypto::GenerateSigningKey(crypto::AlgorithmId::kEcdsaP256Sha256));
    VIGIL_ASSIGN_OR_RETURN(p.ca_pem_, identity::CreateCaCertificate(*p.ca_key_, "Loopback Test CA",
                                                                    {now - 3600, now + 86400}, env));
    p.ca_file_ = dir + "/ca.pem";
    VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(p.ca_file_, AsBytes(p.ca_pem_)));
    VIGIL_ASSIGN_OR_RETURN(p.server_, p.Issue("server", "vigil-serve", {"localhost"}));
    return p;
  }

  const std::string& ca_file() const { return ca_file_; }
  // A server's options on loopback: both listeners on free ports, this PKI's certificates, the
  // fleet database `db`, the audit log in DIR/audit.
  ServerOptions LoopbackOptions(std::string db) const {
    ServerOptions o;
    o.db = std::move(db);
    o.port = 0;
    o.device_port = 0;
    o.cert_file = server_.cert;
    o.key_file = server_.key;
    o.client_ca_file = ca_file_;
    o.audit_dir = dir_ + "/audit";
    return o;
  }
  const CertFiles& server() const { return server_; }
  // A device certificate naming `serial` (NAME.pem, NAME.key in the folder).
  Result<CertFiles> IssueDevice(const std::string& serial) { return Issue(serial, serial, {}); }

 private:
  Result<CertFiles> Issue(const std::string& name, const std::string& id,
                          std::vector<std::string> dns_names) {
    Env& env = *Env::Default();
    const int64_t now = env.NowUnixMicros() / 1000000;
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> key,
                           crypto::GenerateSigningKey(crypto::AlgorithmId::kEcdsaP256Sha256));
    identity::DeviceCertOptions options;
    options.dns_names = std::move(dns_names);
    VIGIL_ASSIGN_OR_RETURN(std::string cert,
                           identity::IssueDeviceCertificate(*ca_key_, ca_pem_, *key->PublicKey(), id,
                                                            {now - 60, now + 86400}, env, options));
    VIGIL_ASSIGN_OR_RETURN(std::string key_pem, crypto::EncodePrivateKeyPem(*key));
    CertFiles files{dir_ + "/" + name + ".pem", dir_ + "/" + name + ".key"};
    VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(files.cert, AsBytes(cert)));
    VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(files.key, AsBytes(key_pem)));
    return files;
  }

  std::string dir_, ca_pem_, ca_file_;
  std::unique_ptr<crypto::SigningKey> ca_key_;
  CertFiles server_;
};

// A device's audit log and its signing key: grows by events and writes check-in bodies whose
// signed checkpoint is the log's current state, with the consistency proof from the last
// checkpoint it reported.
class DeviceLog {
 public:
  // The log of device `serial` in `dir` (origin "pump.example/<serial>/audit").
  static Result<std::unique_ptr<DeviceLog>> Create(const std::string& dir,
                                                   const std::string& serial) {
    auto d = std::unique_ptr<DeviceLog>(new DeviceLog);
    d->serial_ = serial;
    d->origin_ = "pump.example/" + serial + "/audit";
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<crypto::SigningKey> key,
                           crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519));
    VIGIL_ASSIGN_OR_RETURN(d->signer_, audit::NoteSigner::Create(d->origin_, std::move(key)));
    VIGIL_ASSIGN_OR_RETURN(d->log_, audit::TileLog::Open(*Env::Default(), dir));
    return d;
  }
  std::string VerifierKey() const { return signer_->VerifierKey(); }

  // Appends `events` events, then the body of a check-in reporting `release` (slot a, good,
  // counter 1).
  Result<std::string> NextCheckin(int events, const std::string& release) {
    for (int i = 0; i < events; ++i) {
      audit::Event e;
      e.sequence = log_->size();
      e.time_unix_micros = Env::Default()->NowUnixMicros();
      e.device_id = serial_;
      e.actor_id = "clin.jdoe";
      e.actor_role = audit::Role::kClinician;
      e.action = audit::Action::kLogin;
      e.outcome = audit::Outcome::kSuccess;
      e.interface = audit::Interface::kLocalUi;
      VIGIL_ASSIGN_OR_RETURN(Bytes entry, audit::EncodeEvent(e));
      VIGIL_RETURN_IF_ERROR(log_->Append(entry));
    }
    VIGIL_ASSIGN_OR_RETURN(audit::Hash root, log_->Root());
    VIGIL_ASSIGN_OR_RETURN(std::string text,
                           audit::FormatCheckpoint({origin_, log_->size(), root, {}}));
    audit::NoteSigner* signers[] = {signer_.get()};
    VIGIL_ASSIGN_OR_RETURN(std::string note, audit::SignNote(text, signers));
    json::Value proof = json::Value::MakeArray();
    if (reported_ > 0 && reported_ < log_->size()) {
      VIGIL_ASSIGN_OR_RETURN(audit::ConsistencyEvidence evidence,
                             audit::ProveConsistency(*log_, reported_));
      for (const std::string& h : fleet::EncodeProof(evidence.proof)) proof.Push(h);
    }
    reported_ = log_->size();
    json::Value body = json::Value::MakeObject({{"release", release},
                                                {"slot", "a"},
                                                {"slot_status", "good"},
                                                {"security_counter", 1},
                                                {"checkpoint", note}});
    body.Set("consistency_proof", std::move(proof));
    return json::Write(body);
  }

 private:
  DeviceLog() = default;
  std::string serial_, origin_;
  std::unique_ptr<audit::NoteSigner> signer_;
  std::unique_ptr<audit::TileLog> log_;
  uint64_t reported_ = 0;
};

}  // namespace vigil::server::testing

#endif  // VIGIL_SERVER_TESTING_LOOPBACK_PKI_H_
