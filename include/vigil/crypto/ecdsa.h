// ECDSA over the NIST curves P-256 (with SHA-256) and P-384 (with SHA-384), FIPS 186-5, over
// OpenSSL 3.0. Signatures are DER (X9.62 Ecdsa-Sig-Value) through the SigningKey/VerifyingKey
// interface; the P1363 helpers convert to and from the fixed-width r || s form used by JOSE,
// COSE and TUF's ecdsa-sha2-nistp256 (which is DER) — both encodings are strict: a DER
// signature that is not the unique minimal encoding is refused.
//
// Thread-safety: see vigil/crypto/signature.h; the helpers are pure functions.
#ifndef VIGIL_CRYPTO_ECDSA_H_
#define VIGIL_CRYPTO_ECDSA_H_

#include <memory>

#include "vigil/crypto/secret_bytes.h"
#include "vigil/crypto/signature.h"

namespace vigil::crypto {

// `alg` is kEcdsaP256Sha256 or kEcdsaP384Sha384 (InvalidArgument otherwise).
Result<std::unique_ptr<SigningKey>> GenerateEcdsa(AlgorithmId alg);
// A public key from its SEC1 encoding (uncompressed 0x04 || X || Y, or compressed 0x02/0x03 ||
// X). InvalidArgument if the point is not on the curve.
Result<std::unique_ptr<VerifyingKey>> EcdsaPublicKey(AlgorithmId alg, ByteView sec1_point);

// DER → r || s (each left-padded to the coordinate size). InvalidArgument for non-DER input.
Result<Bytes> EcdsaDerToP1363(AlgorithmId alg, ByteView der);
// r || s → DER. InvalidArgument for a wrong length.
Result<Bytes> EcdsaP1363ToDer(AlgorithmId alg, ByteView p1363);
// Verifies a fixed-width r || s signature with an ECDSA verifying key.
Status VerifyEcdsaP1363(const VerifyingKey& key, ByteView message, ByteView p1363);
// Signs and returns the fixed-width r || s form.
Result<Bytes> SignEcdsaP1363(SigningKey& key, ByteView message);

// RFC 5915 ECPrivateKey in the one form composite signatures prescribe
// (draft-ietf-lamps-pq-composite-sigs §5): version 1, the scalar as a fixed-width OCTET STRING,
// the curve's OID as [0] parameters, no [1] publicKey. Parsing accepts exactly that DER (any
// other encoding of the same key is InvalidArgument, so a key has one encoding) and checks that
// the scalar is in [1, n-1]; the public key is recomputed.
Result<SecretBytes> EcdsaPrivateKeyDer(const SigningKey& key);
Result<std::unique_ptr<SigningKey>> ParseEcdsaPrivateKeyDer(AlgorithmId alg, ByteView der);

}  // namespace vigil::crypto

#endif  // VIGIL_CRYPTO_ECDSA_H_
