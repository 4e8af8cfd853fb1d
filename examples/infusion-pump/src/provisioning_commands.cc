#include "provisioning_commands.h"

#include <cstdio>

#include "device.h"
#include "secret_file.h"
#include "vigil/crypto/key_file.h"
#include "vigil/identity/device_cert.h"

namespace pump {
namespace {

using vigil::Env;
using vigil::Result;
using vigil::Status;
using vigil::crypto::SecretBytes;

constexpr const char* kCaKey = "ca.key";
constexpr const char* kCaCert = "ca.pem";

vigil::identity::CertValidity ValidFor(Env& env, int days) {
  const int64_t now = env.NowUnixMicros() / 1'000'000;
  return {now - 3600, now + int64_t{days} * 86400};
}

Status MakeCa(Env& env, const ProvisioningArgs& a) {
  const std::string key_path = vigil::JoinPath(a.ca, kCaKey);
  if (env.FileExists(key_path))
    return vigil::AlreadyExistsError(key_path + ": exists; not overwritten");
  VIGIL_ASSIGN_OR_RETURN(
      auto key, vigil::crypto::GenerateSigningKey(vigil::crypto::AlgorithmId::kEcdsaP256Sha256));
  VIGIL_ASSIGN_OR_RETURN(
      std::string cert,
      vigil::identity::CreateCaCertificate(*key, a.name, ValidFor(env, a.ca_validity_days), env));
  VIGIL_RETURN_IF_ERROR(env.CreateDir(a.ca));
  VIGIL_RETURN_IF_ERROR(vigil::crypto::WritePrivateKeyFile(env, key_path, *key));
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(vigil::JoinPath(a.ca, kCaCert), vigil::AsBytes(cert)));
  std::printf("manufacturer CA \"%s\": %s/%s (key %s)\n", a.name.c_str(), a.ca.c_str(), kCaCert,
              key_path.c_str());
  return vigil::OkStatus();
}

struct Ca {
  std::unique_ptr<vigil::crypto::SigningKey> key;
  std::string cert;
};

Result<Ca> ReadCa(Env& env, const std::string& dir) {
  Ca ca;
  VIGIL_ASSIGN_OR_RETURN(ca.key,
                         vigil::crypto::ReadPrivateKeyFile(env, vigil::JoinPath(dir, kCaKey)));
  VIGIL_ASSIGN_OR_RETURN(vigil::Bytes cert, env.ReadFileLimited(vigil::JoinPath(dir, kCaCert),
                                                                65536, "a CA certificate"));
  ca.cert = std::string(vigil::AsStringView(cert));
  return ca;
}

Status MakeDevice(Env& env, const ProvisioningArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(Ca ca, ReadCa(env, a.ca));
  if (env.FileExists(a.out)) return vigil::AlreadyExistsError(a.out + ": exists; not overwritten");
  VIGIL_ASSIGN_OR_RETURN(SecretBytes secret,
                         Device::Manufacture(env, a.state, a.device_id, *ca.key, ca.cert,
                                             a.validity_days, nullptr, {a.dns_names, a.crl_url}));
  VIGIL_RETURN_IF_ERROR(WriteSecretFile(env, a.out, secret));
  std::printf("manufactured pump %s in %s; its one-time provisioning secret is in %s\n",
              a.device_id.c_str(), a.state.c_str(), a.out.c_str());
  return vigil::OkStatus();
}

// A client certificate (a clinical workstation, the integration gateway) for mutual TLS with
// the pump, from the same CA. Issued by identity's device-certificate profile: an end-entity
// certificate with clientAuth, named urn:vigil:device:<name>.
Status MakeClientCert(Env& env, const ProvisioningArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(Ca ca, ReadCa(env, a.ca));
  const std::string key_path = vigil::JoinPath(a.out, a.name + ".key");
  const std::string cert_path = vigil::JoinPath(a.out, a.name + ".pem");
  if (env.FileExists(key_path))
    return vigil::AlreadyExistsError(key_path + ": exists; not overwritten");
  VIGIL_ASSIGN_OR_RETURN(
      auto key, vigil::crypto::GenerateSigningKey(vigil::crypto::AlgorithmId::kEcdsaP256Sha256));
  VIGIL_ASSIGN_OR_RETURN(std::string cert, vigil::identity::IssueDeviceCertificate(
                                               *ca.key, ca.cert, *key->PublicKey(), a.name,
                                               ValidFor(env, a.validity_days), env));
  VIGIL_RETURN_IF_ERROR(env.CreateDir(a.out));
  VIGIL_RETURN_IF_ERROR(vigil::crypto::WritePrivateKeyFile(env, key_path, *key));
  VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(cert_path, vigil::AsBytes(cert)));
  std::printf("client certificate %s: %s (key %s)\n", a.name.c_str(), cert_path.c_str(),
              key_path.c_str());
  return vigil::OkStatus();
}

Status Provision(Env& env, const ProvisioningArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(auto device, Device::Open(env, a.state));
  VIGIL_ASSIGN_OR_RETURN(SecretBytes secret, ReadSecretFile(env, a.secret_file));
  VIGIL_ASSIGN_OR_RETURN(SecretBytes password, ReadSecretFile(env, a.password_file));
  VIGIL_ASSIGN_OR_RETURN(vigil::identity::Enrolment enrolment,
                         device->Provision(secret, a.admin, password, "service-port"));
  VIGIL_RETURN_IF_ERROR(device->CheckpointAudit());
  std::printf(
      "provisioned pump %s: administrator %s; confirm the second factor with a first "
      "code (pumpd confirm-totp)\n",
      device->device_id().c_str(), a.admin.c_str());
  // For the administrator's authenticator app, on the local service port only.
  std::printf("totp enrolment: %s\n", enrolment.provisioning_uri.c_str());
  return vigil::OkStatus();
}

Status ConfirmTotp(Env& env, const ProvisioningArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(auto device, Device::Open(env, a.state));
  VIGIL_RETURN_IF_ERROR(device->identity().ConfirmEnrolment(a.account, a.code));
  VIGIL_RETURN_IF_ERROR(device->CheckpointAudit());
  std::printf("second factor of %s confirmed\n", a.account.c_str());
  return vigil::OkStatus();
}

Status Checkpoint(Env& env, const ProvisioningArgs& a) {
  VIGIL_ASSIGN_OR_RETURN(auto device, Device::Open(env, a.state));
  VIGIL_ASSIGN_OR_RETURN(std::string note, device->CheckpointAudit());
  std::fwrite(note.data(), 1, note.size(), stdout);
  return vigil::OkStatus();
}

CLI::App* Named(CLI::App& app, const char* path) {
  CLI::App* cmd = &app;
  std::string rest = path;
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    cmd = cmd->get_subcommand(rest.substr(0, space));
    rest = space == std::string::npos ? "" : rest.substr(space + 1);
  }
  return cmd;
}

}  // namespace

int Finish(const Status& status) {
  if (status) return 0;
  std::fprintf(stderr, "pumpd: %s\n", status.error().ToString().c_str());
  return 1;
}

void AddProvisioningCommands(CLI::App& app, ProvisioningArgs& a) {
  CLI::App* factory = app.add_subcommand("factory", "manufacturer tools")->require_subcommand(1);
  CLI::App* ca = factory->add_subcommand("ca", "create the manufacturer CA");
  ca->add_option("--dir", a.ca)->required();
  ca->add_option("--name", a.name)->required();
  CLI::App* device = factory->add_subcommand("device", "manufacture a pump");
  device->add_option("--ca", a.ca)->required();
  device->add_option("--state", a.state)->required();
  device->add_option("--device-id", a.device_id)->required();
  device->add_option("--secret-out", a.out, "where to write the provisioning secret")->required();
  device->add_option("--dns-name", a.dns_names, "a host name the pump serves HTTPS under");
  device->add_option("--crl-url", a.crl_url, "where the manufacturer publishes its CRL");
  CLI::App* client = factory->add_subcommand("client-cert", "issue a client certificate");
  client->add_option("--ca", a.ca)->required();
  client->add_option("--name", a.name)->required();
  client->add_option("--out", a.out)->required();
  ca->add_option("--validity-days", a.ca_validity_days)->check(CLI::Range(1, 36500));
  for (CLI::App* cmd : {device, client}) {
    cmd->add_option("--validity-days", a.validity_days)->check(CLI::Range(1, 36500));
  }
  CLI::App* provision = app.add_subcommand("provision", "first use: the first administrator");
  provision->add_option("--state", a.state)->required();
  provision->add_option("--secret-file", a.secret_file)->required();
  provision->add_option("--admin", a.admin)->required();
  provision->add_option("--password-file", a.password_file)->required();
  CLI::App* confirm = app.add_subcommand("confirm-totp", "confirm a TOTP enrolment");
  confirm->add_option("--state", a.state)->required();
  confirm->add_option("--account", a.account)->required();
  confirm->add_option("--code", a.code)->required();
  CLI::App* audit = app.add_subcommand("audit", "the audit log")->require_subcommand(1);
  audit->add_subcommand("checkpoint", "sign a checkpoint")
      ->add_option("--state", a.state)
      ->required();
}

std::optional<int> RunProvisioningCommand(CLI::App& app, const ProvisioningArgs& a, Env& env) {
  const std::pair<const char*, Status (*)(Env&, const ProvisioningArgs&)> commands[] = {
      {"factory ca", MakeCa},
      {"factory device", MakeDevice},
      {"factory client-cert", MakeClientCert},
      {"provision", Provision},
      {"confirm-totp", ConfirmTotp},
      {"audit checkpoint", Checkpoint}};
  for (const auto& [path, run] : commands) {
    if (Named(app, path)->parsed()) return Finish(run(env, a));
  }
  return std::nullopt;
}

}  // namespace pump
