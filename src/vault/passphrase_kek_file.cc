#include "vigil/vault/passphrase_kek_file.h"

#include "vigil/core/endian.h"

#include <argon2.h>

#include <algorithm>
#include <string_view>

#include "vigil/crypto/aead.h"
#include "vigil/identity/password_hasher.h"

namespace vigil::vault {

namespace {

constexpr std::string_view kMagic = "VGLKEK01";
constexpr uint32_t kMaxMemoryKib = 4u * 1024 * 1024;
constexpr uint32_t kMaxIterations = 64;
constexpr uint32_t kMaxParallelism = 16;
constexpr size_t kMinPassphrase = 8;


// A cursor over the file that reports where the layout broke.
class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}
  Result<ByteView> Take(size_t n, std::string_view field) {
    if (data_.size() - pos_ < n) {
      return DataLossError("sealed KEK: " + std::string(field) + " at offset " +
                           std::to_string(pos_) + ": expected " + std::to_string(n) +
                           " bytes, found " + std::to_string(data_.size() - pos_));
    }
    ByteView out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  Result<uint32_t> U32(std::string_view field) {
    VIGIL_ASSIGN_OR_RETURN(ByteView b, Take(4, field));
    return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
  }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  ByteView data_;
  size_t pos_ = 0;
};

}  // namespace

KdfParams KdfParams::Default() { return KdfParams(64 * 1024, 3, 1); }

Result<KdfParams> KdfParams::Create(uint32_t memory_kib, uint32_t iterations,
                                    uint32_t parallelism) {
  using identity::Argon2Params;
  if (memory_kib < Argon2Params::kMinMemoryKib || memory_kib > kMaxMemoryKib ||
      iterations < Argon2Params::kMinIterations || iterations > kMaxIterations ||
      parallelism < Argon2Params::kMinParallelism || parallelism > kMaxParallelism) {
    return InvalidArgumentError(
        "Argon2id parameters: expected m in [" + std::to_string(Argon2Params::kMinMemoryKib) +
        ", " + std::to_string(kMaxMemoryKib) +
        "] KiB, t in [2, 64], p in [1, 16]; got m=" + std::to_string(memory_kib) +
        " t=" + std::to_string(iterations) + " p=" + std::to_string(parallelism));
  }
  return KdfParams(memory_kib, iterations, parallelism);
}

Bytes SealedKek::EncodeHeader() const {
  Bytes out = ToBytes(kMagic);
  AppendBe32(out, params.memory_kib());
  AppendBe32(out, params.iterations());
  AppendBe32(out, params.parallelism());
  out.push_back(static_cast<uint8_t>(salt.size()));
  Append(out, salt);
  Append(out, nonce);
  return out;
}

Bytes SealedKek::Encode() const {
  Bytes out = EncodeHeader();
  Append(out, sealed);
  return out;
}

Result<SealedKek> SealedKek::Parse(ByteView file) {
  Reader r(file);
  VIGIL_ASSIGN_OR_RETURN(ByteView magic, r.Take(kMagic.size(), "magic"));
  if (AsStringView(magic) != kMagic) {
    return DataLossError("sealed KEK: expected magic \"VGLKEK01\" (a vault KEK file)");
  }
  VIGIL_ASSIGN_OR_RETURN(uint32_t m, r.U32("memory_kib"));
  VIGIL_ASSIGN_OR_RETURN(uint32_t t, r.U32("iterations"));
  VIGIL_ASSIGN_OR_RETURN(uint32_t p, r.U32("parallelism"));
  auto params = KdfParams::Create(m, t, p);
  if (!params) return DataLossError("sealed KEK: " + params.error().message());
  VIGIL_ASSIGN_OR_RETURN(ByteView salt_len, r.Take(1, "salt length"));
  if (salt_len[0] < kMinSaltSize || salt_len[0] > kMaxSaltSize) {
    return DataLossError("sealed KEK: salt length: expected 16..64, found " +
                         std::to_string(salt_len[0]));
  }
  SealedKek out;
  out.params = *params;
  VIGIL_ASSIGN_OR_RETURN(ByteView salt, r.Take(salt_len[0], "salt"));
  out.salt.assign(salt.begin(), salt.end());
  VIGIL_ASSIGN_OR_RETURN(ByteView nonce, r.Take(kNonceSize, "nonce"));
  std::copy(nonce.begin(), nonce.end(), out.nonce.begin());
  VIGIL_ASSIGN_OR_RETURN(ByteView sealed, r.Take(kSealedSize, "sealed key"));
  std::copy(sealed.begin(), sealed.end(), out.sealed.begin());
  if (r.remaining() != 0) {
    return DataLossError("sealed KEK: " + std::to_string(r.remaining()) +
                         " unexpected bytes after the sealed key");
  }
  return out;
}

Result<PassphraseKekFile> PassphraseKekFile::Create(std::string path,
                                                    crypto::SecretBytes passphrase,
                                                    KdfParams params, Env& env) {
  if (passphrase.size() < kMinPassphrase) {
    return InvalidArgumentError("vault passphrase: expected at least 8 bytes, got " +
                                std::to_string(passphrase.size()));
  }
  return PassphraseKekFile(std::move(path), std::move(passphrase), params, env);
}

Result<crypto::SecretBytes> PassphraseKekFile::DeriveKey(const KdfParams& params,
                                                         ByteView salt) const {
  crypto::SecretBytes key(crypto::Aead::kKeySize);
  ByteView pw = passphrase_.Reveal();
  int rc = argon2id_hash_raw(params.iterations(), params.memory_kib(), params.parallelism(),
                             pw.data(), pw.size(), salt.data(), salt.size(),
                             key.MutableReveal().data(), key.size());
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) {
    return ResourceExhaustedError(Describe() + ": Argon2id could not allocate " +
                                  std::to_string(params.memory_kib()) + " KiB");
  }
  if (rc != ARGON2_OK) {
    return InternalError(Describe() + ": Argon2id failed: " + argon2_error_message(rc));
  }
  return key;
}

Result<crypto::SecretBytes> PassphraseKekFile::LoadKek() {
  if (!env_->FileExists(path_)) return NotFoundError(Describe() + ": no KEK file (destroyed?)");
  VIGIL_ASSIGN_OR_RETURN(
      Bytes file, env_->ReadFileLimited(path_, SealedKek::kMaxEncodedSize, "a sealed KEK file"));
  auto parsed = SealedKek::Parse(file);
  if (!parsed) return parsed.error().WithContext(path_);
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes key, DeriveKey(parsed->params, parsed->salt));
  VIGIL_ASSIGN_OR_RETURN(crypto::Aead aead,
                         crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, key));
  auto kek = aead.Open(parsed->nonce, parsed->sealed, parsed->EncodeHeader());
  if (!kek) {
    return UnauthenticatedError(Describe() +
                                ": the KEK does not unseal (wrong passphrase, or "
                                "the file was altered)");
  }
  crypto::SecretBytes out = crypto::SecretBytes::CopyFrom(*kek);
  crypto::SecureZero(*kek);
  return out;
}

Status PassphraseKekFile::StoreKek(const crypto::SecretBytes& kek) {
  if (kek.size() != kKekSize) {
    return InvalidArgumentError(Describe() + ": a KEK must be 32 bytes, got " +
                                std::to_string(kek.size()));
  }
  SealedKek s;
  s.params = params_;
  VIGIL_ASSIGN_OR_RETURN(s.salt, env_->RandomBytes(16));
  VIGIL_RETURN_IF_ERROR(env_->FillRandom(s.nonce));
  VIGIL_ASSIGN_OR_RETURN(crypto::SecretBytes key, DeriveKey(s.params, s.salt));
  VIGIL_ASSIGN_OR_RETURN(crypto::Aead aead,
                         crypto::Aead::Create(crypto::AlgorithmId::kAes256Gcm, key));
  VIGIL_RETURN_IF_ERROR(aead.SealInto(s.nonce, kek.Reveal(), s.EncodeHeader(), s.sealed));
  return env_->WriteFileAtomic(path_, s.Encode());
}

Status PassphraseKekFile::DestroyKek() {
  if (!env_->FileExists(path_)) return OkStatus();
  // Overwrite in place before unlinking, so the sealed key does not linger in the file's blocks
  // on file systems that rewrite in place; then remove the name durably.
  VIGIL_ASSIGN_OR_RETURN(uint64_t size, env_->GetFileSize(path_));
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, env_->NewWritableFile(path_));
  // In blocks, so that erasing a file someone made huge does not cost its size in memory.
  const Bytes zeros(std::min<uint64_t>(size, 64 * 1024), 0);
  for (uint64_t done = 0; done < size; done += zeros.size()) {
    VIGIL_RETURN_IF_ERROR(
        f->Append(ByteView(zeros).first(std::min<uint64_t>(zeros.size(), size - done))));
  }
  VIGIL_RETURN_IF_ERROR(f->Sync());
  VIGIL_RETURN_IF_ERROR(f->Close());
  VIGIL_RETURN_IF_ERROR(env_->RemoveFile(path_));
  return env_->SyncDir(DirName(path_));
}

}  // namespace vigil::vault
