#include "api_requests.h"

#include <algorithm>

#include "vigil/core/encoding.h"
#include "vigil/core/json.h"

namespace pump {
namespace {

using vigil::Result;
using vigil::Status;
using vigil::json::Node;
using vigil::json::Value;

constexpr std::string_view kBody = "request body";

Result<Value> ParseBody(std::string_view body) {
  vigil::json::Limits limits;
  limits.max_bytes = kMaxBodyBytes;
  limits.max_depth = 4;
  VIGIL_ASSIGN_OR_RETURN(Value doc, vigil::json::Parse(body, kBody, limits));
  if (!doc.is_object()) return Node(doc, kBody).Mismatch("an object");
  return doc;
}

// An account id as identity and the audit log accept it: 1..64 of [A-Za-z0-9._@-].
Result<std::string> AccountId(const Node& node) {
  VIGIL_ASSIGN_OR_RETURN(std::string id, node.String());
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  });
  if (!ok) return node.Invalid("expected 1 to 64 of [A-Za-z0-9._@-]");
  return id;
}

Result<vigil::crypto::SecretBytes> Password(const Node& node) {
  VIGIL_ASSIGN_OR_RETURN(std::string_view text, node.StringView());
  if (text.empty() || text.size() > 256) return node.Invalid("expected 1 to 256 bytes");
  return vigil::crypto::SecretBytes::CopyFrom(vigil::AsBytes(text));
}

Result<std::string> Code(const Node& node) {
  VIGIL_ASSIGN_OR_RETURN(std::string code, node.String());
  const bool ok =
      code.size() >= 6 && code.size() <= 8 &&
      std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) return node.Invalid("expected 6 to 8 digits");
  return code;
}

// A positive integer up to `max`, or 0 when absent and optional.
Result<int64_t> Count(const Node& node, int64_t max, bool optional) {
  if (optional && !node.present()) return int64_t{0};
  VIGIL_ASSIGN_OR_RETURN(uint64_t v, node.UInt(1));
  if (v > static_cast<uint64_t>(max)) {
    return node.Invalid("expected at most " + std::to_string(max) + ", found " + std::to_string(v));
  }
  return static_cast<int64_t>(v);
}

Result<vigil::net::CommandTag> ParseTag(const Node& root) {
  vigil::net::CommandTag tag;
  VIGIL_ASSIGN_OR_RETURN(tag.nonce, root.Get("nonce").String());
  const bool hex =
      tag.nonce.size() == 32 && std::all_of(tag.nonce.begin(), tag.nonce.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
  if (!hex) return root.Get("nonce").Invalid("expected 32 lower-case hex digits (128 random bits)");
  VIGIL_ASSIGN_OR_RETURN(tag.counter, root.Get("counter").UInt(1));
  return tag;
}

}  // namespace

Result<LoginRequest> ParseLoginRequest(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"account", "password", "totp"}));
  LoginRequest r;
  VIGIL_ASSIGN_OR_RETURN(r.account, AccountId(root.Get("account")));
  VIGIL_ASSIGN_OR_RETURN(r.password, Password(root.Get("password")));
  if (root.Has("totp")) {
    VIGIL_ASSIGN_OR_RETURN(r.totp, Code(root.Get("totp")));
  }
  return r;
}

Result<AccountRequest> ParseAccountRequest(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"account", "role", "password"}));
  AccountRequest r;
  VIGIL_ASSIGN_OR_RETURN(r.account, AccountId(root.Get("account")));
  VIGIL_ASSIGN_OR_RETURN(std::string role, root.Get("role").String());
  Result<vigil::audit::Role> parsed = vigil::audit::ParseRoleCode(role);
  if (!parsed || *parsed == vigil::audit::Role::kNone || *parsed == vigil::audit::Role::kSystem) {
    return root.Get("role").Invalid(
        "expected patient, clinician, service-technician, "
        "administrator or manufacturer-service");
  }
  r.role = *parsed;
  VIGIL_ASSIGN_OR_RETURN(r.password, Password(root.Get("password")));
  return r;
}

Result<ConfirmRequest> ParseConfirmRequest(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"account", "code"}));
  ConfirmRequest r;
  VIGIL_ASSIGN_OR_RETURN(r.account, AccountId(root.Get("account")));
  VIGIL_ASSIGN_OR_RETURN(r.code, Code(root.Get("code")));
  return r;
}

Result<BreakGlassRequest> ParseBreakGlassRequest(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"account", "password", "reason"}));
  BreakGlassRequest r;
  VIGIL_ASSIGN_OR_RETURN(r.account, AccountId(root.Get("account")));
  VIGIL_ASSIGN_OR_RETURN(r.password, Password(root.Get("password")));
  const Node reason = root.Get("reason");
  VIGIL_ASSIGN_OR_RETURN(r.reason, reason.String());
  const bool ok =
      !r.reason.empty() && r.reason.size() <= 256 &&
      std::all_of(r.reason.begin(), r.reason.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (!ok) return reason.Invalid("expected 1 to 256 bytes of printable ASCII");
  return r;
}

Result<uint64_t> ParseReviewClose(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"review"}));
  return root.Get("review").UInt(1);
}

Result<ProgramCommand> ParseProgramCommand(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(
      root.RefuseUnknown({"nonce", "counter", "drug_id", "rate_ul_h", "duration_s", "volume_ul",
                          "confirm_soft_limit", "patient"}));
  ProgramCommand c;
  VIGIL_ASSIGN_OR_RETURN(c.tag, ParseTag(root));
  ProgramRequest& r = c.program;
  VIGIL_ASSIGN_OR_RETURN(r.drug_id, root.Get("drug_id").String());
  if (r.drug_id.empty() || r.drug_id.size() > 64) {
    return root.Get("drug_id").Invalid("expected 1 to 64 bytes");
  }
  VIGIL_ASSIGN_OR_RETURN(r.rate_ul_h, Count(root.Get("rate_ul_h"), 10'000'000, true));
  VIGIL_ASSIGN_OR_RETURN(r.duration_s, Count(root.Get("duration_s"), 30LL * 24 * 3600, true));
  VIGIL_ASSIGN_OR_RETURN(r.volume_ul, Count(root.Get("volume_ul"), 10'000'000, false));
  if (root.Has("confirm_soft_limit")) {
    VIGIL_ASSIGN_OR_RETURN(r.confirm_soft_limit, root.Get("confirm_soft_limit").Bool());
  }
  if (root.Has("patient")) {
    const Node patient = root.Get("patient");
    VIGIL_ASSIGN_OR_RETURN(c.patient, patient.String());
    const bool ok = !c.patient.empty() && c.patient.size() <= 128 &&
                    std::none_of(c.patient.begin(), c.patient.end(),
                                 [](char ch) { return static_cast<unsigned char>(ch) < 0x20; });
    if (!ok) return patient.Invalid("expected 1 to 128 bytes, no control characters");
  }
  return c;
}

Result<DecommissionCommand> ParseDecommissionCommand(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"nonce", "counter", "device_id"}));
  DecommissionCommand c;
  VIGIL_ASSIGN_OR_RETURN(c.tag, ParseTag(root));
  VIGIL_ASSIGN_OR_RETURN(c.device_id, root.Get("device_id").String());
  return c;
}

Result<vigil::net::CommandTag> ParseTagOnlyCommand(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"nonce", "counter"}));
  return ParseTag(root);
}

// A TUF target path as the pump's repository names releases ("pumpd/pumpd-2"): it becomes part
// of a URL and of the audit record, so only a plain relative path is accepted.
namespace {
Result<std::string> TargetPath(const Node& node) {
  VIGIL_ASSIGN_OR_RETURN(std::string path, node.String());
  bool ok =
      !path.empty() && path.size() <= 128 && std::all_of(path.begin(), path.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '/' || c == '-';
      });
  for (size_t start = 0; ok && start <= path.size();) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = std::string_view(path).substr(start, end - start);
    ok = !segment.empty() && segment != "." && segment != "..";
    start = end + 1;
  }
  if (!ok) {
    return node.Invalid(
        "expected a target path: 1 to 128 of [A-Za-z0-9._/-], no empty, . or .. "
        "segment");
  }
  return path;
}
}  // namespace

Result<UpdateCommand> ParseUpdateCommand(std::string_view body) {
  VIGIL_ASSIGN_OR_RETURN(Value doc, ParseBody(body));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"nonce", "counter", "target"}));
  UpdateCommand c;
  VIGIL_ASSIGN_OR_RETURN(c.tag, ParseTag(root));
  VIGIL_ASSIGN_OR_RETURN(c.target, TargetPath(root.Get("target")));
  return c;
}

Result<LibraryCommand> ParseLibraryCommand(std::string_view body) {
  vigil::json::Limits limits;
  limits.max_bytes = kMaxLibraryBodyBytes;
  limits.max_depth = 8;
  VIGIL_ASSIGN_OR_RETURN(Value doc, vigil::json::Parse(body, kBody, limits));
  Node root(doc, kBody);
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"nonce", "counter", "library"}));
  LibraryCommand c;
  VIGIL_ASSIGN_OR_RETURN(c.tag, ParseTag(root));
  VIGIL_RETURN_IF_ERROR(root.Get("library").ExpectObject());
  c.library = vigil::json::Write(root.Get("library").value(), 2) + "\n";
  return c;
}

}  // namespace pump
