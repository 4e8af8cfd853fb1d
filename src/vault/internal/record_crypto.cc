#include "internal/record_crypto.h"

#include <cstring>

#include "vigil/crypto/aead.h"
#include "vigil/crypto/mac.h"

namespace vigil::vault::internal {

namespace {

Result<crypto::SecretBytes> UnwrapDek(const crypto::AesKeyWrapper& kek, ByteView wrapped) {
  VIGIL_RETURN_IF_ERROR(CheckWrappedDek(wrapped));
  auto dek = kek.Unwrap(wrapped);
  if (!dek)
    return DataLossError("vault record: the wrapped data key does not unwrap under the KEK");
  return std::move(*dek);
}

}  // namespace

Bytes RecordAad(std::string_view table, std::string_view id, uint64_t version) {
  static constexpr std::string_view kLabel = "vigil-vault-record-v1";
  // Sized once and filled by offset (also sidesteps a GCC 12 -O3 stringop-overflow false
  // positive on repeated vector::insert).
  Bytes aad(kLabel.size() + 4 + table.size() + 4 + id.size() + 8);
  uint8_t* p = aad.data();
  auto put_bytes = [&p](std::string_view s) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  auto put_be = [&p](uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) *p++ = static_cast<uint8_t>(v >> (8 * i));
  };
  put_bytes(kLabel);
  put_be(table.size(), 4);
  put_bytes(table);
  put_be(id.size(), 4);
  put_bytes(id);
  put_be(version, 8);
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

Result<SealedRecord> SealRecord(const crypto::AesKeyWrapper& kek, Env& env, ByteView aad, ByteView plaintext) {
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
  VIGIL_ASSIGN_OR_RETURN(out.wrapped_dek, kek.Wrap(dek.Reveal()));
  return out;
}

Result<Bytes> OpenRecord(const crypto::AesKeyWrapper& kek, ByteView wrapped_dek, ByteView sealed,
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

Result<Bytes> RewrapDek(const crypto::AesKeyWrapper& old_kek, const crypto::AesKeyWrapper& new_kek, ByteView wrapped_dek) {
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes dek, UnwrapDek(old_kek, wrapped_dek));
  return new_kek.Wrap(dek.Reveal());
}

Bytes KekCheckValue(const crypto::SecretBytes& kek) {
  static constexpr std::string_view kLabel = "vigil-vault-kek-check-v1";
  crypto::HmacSha256Tag tag = crypto::HmacSha256(kek.Reveal(), AsBytes(kLabel));
  return Bytes(tag.begin(), tag.end());
}

}  // namespace vigil::vault::internal
