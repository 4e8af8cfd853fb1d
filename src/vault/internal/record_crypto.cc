#include "vault/internal/record_crypto.h"

#include "vigil/crypto/aead.h"
#include "vigil/crypto/key_wrap.h"
#include "vigil/crypto/mac.h"

namespace vigil::vault::internal {

namespace {

void PutU32(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

void PutU64(Bytes& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

Result<crypto::SecretBytes> UnwrapDek(const crypto::SecretBytes& kek, ByteView wrapped) {
  VIGIL_RETURN_IF_ERROR(CheckWrappedDek(wrapped));
  auto dek = crypto::AesKeyUnwrap(kek, wrapped);
  if (!dek)
    return DataLossError("vault record: the wrapped data key does not unwrap under the KEK");
  return std::move(*dek);
}

}  // namespace

Bytes RecordAad(std::string_view table, std::string_view id, uint64_t version) {
  static constexpr std::string_view kLabel = "vigil-vault-record-v1";
  Bytes aad;
  aad.reserve(kLabel.size() + 16 + table.size() + id.size());
  Append(aad, AsBytes(kLabel));
  PutU32(aad, static_cast<uint32_t>(table.size()));
  Append(aad, AsBytes(table));
  PutU32(aad, static_cast<uint32_t>(id.size()));
  Append(aad, AsBytes(id));
  PutU64(aad, version);
  return aad;
}

Result<SealedRecordView> ParseSealedRecord(ByteView sealed) {
  if (sealed.size() < kNonceSize + kTagSize) {
    return DataLossError("vault record: sealed blob of " + std::to_string(sealed.size()) +
                         " bytes, expected at least 28 (nonce and tag)");
  }
  return SealedRecordView{sealed.first(kNonceSize), sealed.subspan(kNonceSize)};
}

Status CheckWrappedDek(ByteView wrapped) {
  if (wrapped.size() != kWrappedDekSize) {
    return DataLossError("vault record: wrapped data key of " + std::to_string(wrapped.size()) +
                         " bytes, expected 40");
  }
  return OkStatus();
}

Result<SealedRecord> SealRecord(const crypto::SecretBytes& kek, Env& env, ByteView aad,
                                ByteView plaintext) {
  crypto::SecretBytes dek(kDekSize);
  SealedRecord out;
  out.sealed.resize(kNonceSize + plaintext.size() + kTagSize);
  std::span<uint8_t> nonce(out.sealed.data(), kNonceSize);
  VIGIL_RETURN_IF_ERROR(env.FillRandom(dek.MutableReveal()));
  VIGIL_RETURN_IF_ERROR(env.FillRandom(nonce));
  VIGIL_ASSIGN_OR_RETURN(crypto::Aead aead,
                         crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, dek));
  VIGIL_RETURN_IF_ERROR(
      aead.SealInto(nonce, plaintext, aad, std::span(out.sealed).subspan(kNonceSize)));
  VIGIL_ASSIGN_OR_RETURN(out.wrapped_dek, crypto::AesKeyWrap(kek, dek));
  return out;
}

Result<Bytes> OpenRecord(const crypto::SecretBytes& kek, ByteView wrapped_dek, ByteView sealed,
                         ByteView aad) {
  VIGIL_ASSIGN_OR_RETURN(SealedRecordView view, ParseSealedRecord(sealed));
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes dek, UnwrapDek(kek, wrapped_dek));
  VIGIL_ASSIGN_OR_RETURN(crypto::Aead aead,
                         crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, dek));
  auto plain = aead.Open(view.nonce, view.ciphertext_and_tag, aad);
  if (!plain) {
    return DataLossError(
        "vault record: authentication failed (the record was altered, moved to "
        "another id or table, or its version edited)");
  }
  return std::move(*plain);
}

Result<Bytes> RewrapDek(const crypto::SecretBytes& old_kek, const crypto::SecretBytes& new_kek,
                        ByteView wrapped_dek) {
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes dek, UnwrapDek(old_kek, wrapped_dek));
  return crypto::AesKeyWrap(new_kek, dek);
}

Bytes KekCheckValue(const crypto::SecretBytes& kek) {
  static constexpr std::string_view kLabel = "vigil-vault-kek-check-v1";
  crypto::HmacSha256Tag tag = crypto::HmacSha256(kek.Reveal(), AsBytes(kLabel));
  return Bytes(tag.begin(), tag.end());
}

}  // namespace vigil::vault::internal
