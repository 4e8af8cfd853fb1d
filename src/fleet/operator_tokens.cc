// The fleet server's operator tokens (fleet.h OperatorToken): schema version 2 and its queries.
// Only hashes are stored; looking a token up by its hash keeps the cost of a request one indexed
// read, and the caller compares the hash it computed with the one returned in constant time.
#include <algorithm>
#include <utility>

#include "internal/fleet_impl.h"
#include "vigil/core/encoding.h"
#include "vigil/fleet/fleet.h"

namespace vigil::fleet {
namespace {

using storage::Statement;
using storage::Transaction;

bool IsIdentifierChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '@' || c == '/' || c == '-';
}

Status CheckToken(const OperatorToken& t) {
  if (t.name.empty() || t.name.size() > 64 ||
      !std::all_of(t.name.begin(), t.name.end(), IsIdentifierChar)) {
    return InvalidArgumentError(
        "token name: expected 1-64 characters of A-Z a-z 0-9 . _ : @ / -, got '" +
        OneLine(t.name.substr(0, 64)) + "'");
  }
  if (t.role != "read-only" && t.role != "analyst" && t.role != "admin") {
    return InvalidArgumentError("token role: expected read-only, analyst or admin, got '" +
                                OneLine(t.role.substr(0, 64)) + "'");
  }
  const bool hex = std::all_of(t.hash_hex.begin(), t.hash_hex.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (t.hash_hex.size() != 64 || !hex) {
    return InvalidArgumentError("token hash: expected 64 lower-case hex digits (SHA-256)");
  }
  return OkStatus();
}

OperatorToken TokenOf(const Statement& s) {
  return OperatorToken{std::string(s.ColumnText(0)), std::string(s.ColumnText(1)),
                       std::string(s.ColumnText(2)), std::string(s.ColumnText(3)),
                       std::string(s.ColumnText(4))};
}

constexpr std::string_view kSelect =
    "SELECT name, role, token_hash, created, revoked FROM fleet_operator_tokens";

}  // namespace

Status CreateTokensV2(storage::Database& db) {
  return db.Exec(
      "CREATE TABLE fleet_operator_tokens (name TEXT PRIMARY KEY, role TEXT NOT NULL,"
      " token_hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL, revoked TEXT NOT NULL)");
}

Result<OperatorToken> Fleet::AddOperatorToken(OperatorToken t) {
  VIGIL_RETURN_IF_ERROR(CheckToken(t));
  t.created = impl_->Now();
  t.revoked.clear();
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(
      Statement * s,
      impl_->db.Cached(
          "INSERT INTO fleet_operator_tokens (name, role, token_hash, created, revoked)"
          " VALUES (?, ?, ?, ?, '') ON CONFLICT DO NOTHING"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, t.name));
  VIGIL_RETURN_IF_ERROR(s->BindText(2, t.role));
  VIGIL_RETURN_IF_ERROR(s->BindText(3, t.hash_hex));
  VIGIL_RETURN_IF_ERROR(s->BindText(4, t.created));
  VIGIL_RETURN_IF_ERROR(impl_->InsertNew(*s, "operator token '" + t.name + "'"));
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return t;
}

Result<std::vector<OperatorToken>> Fleet::OperatorTokens() {
  VIGIL_ASSIGN_OR_RETURN(Statement * s, impl_->db.Cached(std::string(kSelect) + " ORDER BY name"));
  std::vector<OperatorToken> out;
  for (;;) {
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(TokenOf(*s));
  }
  s->Reset();
  return out;
}

Result<std::optional<OperatorToken>> Fleet::FindOperatorToken(std::string_view hash_hex) {
  VIGIL_ASSIGN_OR_RETURN(Statement * s,
                         impl_->db.Cached(std::string(kSelect) + " WHERE token_hash = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, hash_hex));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  std::optional<OperatorToken> out;
  if (row) out = TokenOf(*s);
  s->Reset();
  return out;
}

Result<OperatorToken> Fleet::RevokeOperatorToken(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(impl_->db));
  VIGIL_ASSIGN_OR_RETURN(Statement * s, impl_->db.Cached(std::string(kSelect) + " WHERE name = ?"));
  VIGIL_RETURN_IF_ERROR(s->BindText(1, name));
  VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    s->Reset();
    return NotFoundError(impl_->name + ": no operator token '" + OneLine(name) + "'");
  }
  OperatorToken t = TokenOf(*s);
  s->Reset();
  if (!t.revoked.empty()) {
    return FailedPreconditionError(impl_->name + ": operator token '" + t.name +
                                   "' was already revoked at " + t.revoked);
  }
  t.revoked = impl_->Now();
  VIGIL_ASSIGN_OR_RETURN(
      Statement * u,
      impl_->db.Cached("UPDATE fleet_operator_tokens SET revoked = ? WHERE name = ?"));
  VIGIL_RETURN_IF_ERROR(u->BindText(1, t.revoked));
  VIGIL_RETURN_IF_ERROR(u->BindText(2, t.name));
  VIGIL_RETURN_IF_ERROR(u->Run());
  VIGIL_RETURN_IF_ERROR(tx.Commit());
  return t;
}

}  // namespace vigil::fleet
