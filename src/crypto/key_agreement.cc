#include "vigil/crypto/key_agreement.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/x509.h>

#include "internal/evp_keys.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/ecdsa.h"

namespace vigil::crypto {

using internal::PkeyPtr;

struct KeyAgreementKey::Impl {
  PkeyPtr pkey;
};

namespace {

Status CheckAlg(AlgorithmId alg) {
  if (alg != AlgorithmId::kX25519 && alg != AlgorithmId::kEcdhP256) {
    return InvalidArgumentError("key agreement: algorithm must be X25519 or ECDH P-256");
  }
  return OkStatus();
}

// A P-256 key from the scalar, with its public point computed (OpenSSL's fromdata does not).
Result<PkeyPtr> P256FromScalar(const SecretBytes& priv) {
  struct GroupFree { void operator()(EC_GROUP* g) const { EC_GROUP_free(g); } };
  struct PointFree { void operator()(EC_POINT* p) const { EC_POINT_free(p); } };
  struct BnFree { void operator()(BIGNUM* b) const { BN_clear_free(b); } };
  std::unique_ptr<EC_GROUP, GroupFree> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  std::unique_ptr<BIGNUM, BnFree> d(BN_bin2bn(priv.Reveal().data(), 32, nullptr));
  if (!group || !d) return internal::OpensslError("P-256 set-up");
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return InvalidArgumentError("ecdh-p256: private scalar must be in [1, n-1]");
  }
  std::unique_ptr<EC_POINT, PointFree> q(EC_POINT_new(group.get()));
  uint8_t pub[65];
  if (!q || EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, pub, sizeof pub,
                         nullptr) != sizeof pub) {
    return internal::OpensslError("P-256 public point");
  }
  SecretBytes be(32);  // OSSL_PARAM BIGNUMs are native-endian byte strings
  BN_bn2nativepad(d.get(), be.MutableReveal().data(), 32);
  char group_name[] = "P-256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, be.MutableReveal().data(), 32),
      OSSL_PARAM_construct_end()};
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params) != 1) {
    return internal::OpensslError("P-256 private key");
  }
  return PkeyPtr(raw);
}

// The SEC1 point inside a P-256 SubjectPublicKeyInfo with the namedCurve parameter
// (RFC 5480), uncompressed or compressed. InvalidArgument for anything else.
Result<ByteView> P256PointFromSpki(ByteView der) {
  static const Bytes kUncompressed = *HexDecode(
      "3059301306072a8648ce3d020106082a8648ce3d030107034200");
  static const Bytes kCompressed = *HexDecode(
      "3039301306072a8648ce3d020106082a8648ce3d030107032200");
  for (const Bytes* prefix : {&kUncompressed, &kCompressed}) {
    const size_t point_len = prefix == &kUncompressed ? 65 : 33;
    if (der.size() == prefix->size() + point_len &&
        std::equal(prefix->begin(), prefix->end(), der.begin())) {
      return der.subspan(prefix->size());
    }
  }
  return InvalidArgumentError("ecdh-p256: peer key is not a P-256 SubjectPublicKeyInfo with the "
                              "namedCurve parameter");
}

// The peer key as an EVP_PKEY: X25519 raw bytes; P-256 SEC1 point or SubjectPublicKeyInfo.
Result<PkeyPtr> PeerKey(AlgorithmId alg, ByteView peer) {
  if (alg == AlgorithmId::kX25519) {
    if (peer.size() != 32) {
      return InvalidArgumentError("x25519: expected a 32-byte public key, found " +
                                  std::to_string(peer.size()));
    }
    PkeyPtr p(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer.data(), peer.size()));
    if (!p) return internal::OpensslError("x25519 public key");
    return p;
  }
  if (!peer.empty() && peer[0] == 0x30) {  // DER SEQUENCE: SubjectPublicKeyInfo
    // Only the named-curve form is accepted, byte for byte: explicit curve parameters (which
    // OpenSSL would match to P-256 even with a wrong cofactor or generator) are refused.
    VIGIL_ASSIGN_OR_RETURN(peer, P256PointFromSpki(peer));
  }
  VIGIL_ASSIGN_OR_RETURN(auto vk, EcdsaPublicKey(AlgorithmId::kEcdsaP256Sha256, peer));
  auto* evp = dynamic_cast<internal::EvpVerifyingKey*>(vk.get());
  if (evp == nullptr) return InternalError("ecdh-p256: unexpected key object");
  EVP_PKEY_up_ref(evp->pkey());
  return PkeyPtr(evp->pkey());
}

}  // namespace

KeyAgreementKey::KeyAgreementKey(AlgorithmId alg, std::unique_ptr<Impl> impl)
    : alg_(alg), impl_(std::move(impl)) {}
KeyAgreementKey::KeyAgreementKey(KeyAgreementKey&&) noexcept = default;
KeyAgreementKey& KeyAgreementKey::operator=(KeyAgreementKey&&) noexcept = default;
KeyAgreementKey::~KeyAgreementKey() = default;

Result<KeyAgreementKey> KeyAgreementKey::Generate(AlgorithmId alg) {
  VIGIL_RETURN_IF_ERROR(CheckAlg(alg));
  PkeyPtr pkey(alg == AlgorithmId::kX25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519")
                                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!pkey) return internal::OpensslError("key agreement keygen");
  auto impl = std::make_unique<Impl>();
  impl->pkey = std::move(pkey);
  return KeyAgreementKey(alg, std::move(impl));
}

Result<KeyAgreementKey> KeyAgreementKey::FromPrivateBytes(AlgorithmId alg, const SecretBytes& priv) {
  VIGIL_RETURN_IF_ERROR(CheckAlg(alg));
  if (priv.size() != 32) {
    return InvalidArgumentError("key agreement: expected a 32-byte private key, found " +
                                std::to_string(priv.size()));
  }
  auto impl = std::make_unique<Impl>();
  if (alg == AlgorithmId::kX25519) {
    impl->pkey.reset(
        EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, priv.Reveal().data(), 32));
    if (!impl->pkey) return internal::OpensslError("x25519 private key");
  } else {
    VIGIL_ASSIGN_OR_RETURN(impl->pkey, P256FromScalar(priv));
  }
  return KeyAgreementKey(alg, std::move(impl));
}

Bytes KeyAgreementKey::PublicKey() const {
  Bytes out(alg_ == AlgorithmId::kX25519 ? 32 : 65);
  size_t len = out.size();
  if (alg_ == AlgorithmId::kX25519) {
    EVP_PKEY_get_raw_public_key(impl_->pkey.get(), out.data(), &len);
  } else {
    EVP_PKEY_get_octet_string_param(impl_->pkey.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                    out.data(), out.size(), &len);
  }
  out.resize(len);
  return out;
}

Result<SecretBytes> KeyAgreementKey::Agree(ByteView peer_public) const {
  VIGIL_ASSIGN_OR_RETURN(PkeyPtr peer, PeerKey(alg_, peer_public));
  internal::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  size_t len = 0;
  // set_peer validates the peer (on-curve check for EC); X25519's derive refuses an all-zero
  // result, which is what a low-order peer point produces.
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError("key agreement: peer public key rejected");
  }
  SecretBytes secret(len);
  if (EVP_PKEY_derive(ctx.get(), secret.MutableReveal().data(), &len) != 1) {
    internal::DrainOpensslErrors();
    return InvalidArgumentError("key agreement: peer public key rejected (zero shared secret)");
  }
  return secret;
}

}  // namespace vigil::crypto
