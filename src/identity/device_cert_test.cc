#include "vigil/identity/device_cert.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "vigil/crypto/signature.h"

namespace vigil::identity {
namespace {

constexpr int64_t kNow = 1795000000;  // 2026-11

struct Pki {
  std::unique_ptr<crypto::SigningKey> ca_key, device_key;
  std::string ca_pem, device_pem;
};

Pki Make() {
  Pki p;
  p.ca_key = std::move(*crypto::GenerateSigningKey(crypto::AlgorithmId::kEcdsaP256Sha256));
  p.device_key = std::move(*crypto::GenerateSigningKey(crypto::AlgorithmId::kEcdsaP256Sha256));
  auto ca = CreateCaCertificate(*p.ca_key, "Example Medical Manufacturing CA",
                                {kNow - 3600, kNow + 20 * 365 * 86400LL}, *Env::Default());
  EXPECT_TRUE(ca.has_value()) << ca.error().message();
  p.ca_pem = *ca;
  auto dev = IssueDeviceCertificate(*p.ca_key, p.ca_pem, *p.device_key->PublicKey(), "pump-SN1234",
                                    {kNow - 60, kNow + 10 * 365 * 86400LL}, *Env::Default());
  EXPECT_TRUE(dev.has_value()) << dev.error().message();
  p.device_pem = *dev;
  return p;
}

TEST(DeviceCertTest, IssuedCertificateVerifiesAndOpenSslAgrees) {
  Pki p = Make();
  ASSERT_TRUE(VerifyDeviceCertificate(p.device_pem, p.ca_pem, "pump-SN1234", kNow).has_value());
  // Independent check with the openssl command: chain, purpose and the extensions.
  char dir[] = "/tmp/vigil-cert-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string d(dir);
  std::ofstream(d + "/ca.pem") << p.ca_pem;
  std::ofstream(d + "/dev.pem") << p.device_pem;
  std::string cmd = "openssl verify -attime " + std::to_string(kNow) +
                    " -purpose sslclient -CAfile " + d + "/ca.pem " + d + "/dev.pem >" + d +
                    "/out.txt 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::string text_cmd = "openssl x509 -noout -text -in " + d + "/dev.pem >" + d + "/text.txt";
  ASSERT_EQ(std::system(text_cmd.c_str()), 0);
  std::ifstream t(d + "/text.txt");
  std::string text((std::istreambuf_iterator<char>(t)), {});
  for (const char* want : {"CA:FALSE", "Digital Signature", "TLS Web Client Authentication",
                           "URI:urn:vigil:device:pump-SN1234", "ecdsa-with-SHA256", "prime256v1"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want;
  }
  std::system(("rm -rf " + d).c_str());
}

TEST(DeviceCertTest, CarriesHostNamesAndACrlDistributionPointWhenAsked) {
  Pki p = Make();
  DeviceCertOptions options{{"pump-sn1234.ward7.example", "pump-sn1234"},
                            "http://pki.example.com/crl/devices-ca.crl"};
  auto dev = IssueDeviceCertificate(*p.ca_key, p.ca_pem, *p.device_key->PublicKey(), "pump-SN1234",
                                    {kNow - 60, kNow + 86400}, *Env::Default(), options);
  ASSERT_TRUE(dev.has_value()) << dev.error().message();
  ASSERT_TRUE(VerifyDeviceCertificate(*dev, p.ca_pem, "pump-SN1234", kNow).has_value());
  char dir[] = "/tmp/vigil-cert-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string d(dir);
  std::ofstream(d + "/dev.pem") << *dev;
  ASSERT_EQ(
      std::system(("openssl x509 -noout -text -in " + d + "/dev.pem >" + d + "/text.txt").c_str()),
      0);
  std::ifstream t(d + "/text.txt");
  std::string text((std::istreambuf_iterator<char>(t)), {});
  for (const char* want :
       {"URI:urn:vigil:device:pump-SN1234, DNS:pump-sn1234.ward7.example, DNS:pump-sn1234",
        "X509v3 CRL Distribution Points", "URI:http://pki.example.com/crl/devices-ca.crl"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  std::system(("rm -rf " + d).c_str());
}

TEST(DeviceCertTest, RefusesNamesAndUrlsThatWouldChangeTheExtensions) {
  Pki p = Make();
  auto issue = [&](DeviceCertOptions options) {
    return IssueDeviceCertificate(*p.ca_key, p.ca_pem, *p.device_key->PublicKey(), "pump-SN1234",
                                  {kNow - 60, kNow + 86400}, *Env::Default(), options);
  };
  for (const char* bad :
       {"a,URI:evil", "", "-x.example", "x..example", "x.example.", "with space"}) {
    auto r = issue({{bad}, ""});
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message().rfind("dns name \"", 0), 0u) << r.error().message();
  }
  for (const char* bad : {"ftp://x/crl", "http://", "http://x/crl,DNS:evil", "https://x/a b"}) {
    auto r = issue({{}, bad});
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message().rfind("crl url \"", 0), 0u) << r.error().message();
  }
}

TEST(DeviceCertTest, WrongCaExpiredOrOtherDeviceIsRefused) {
  Pki p = Make();
  Pki other = Make();
  EXPECT_EQ(VerifyDeviceCertificate(p.device_pem, other.ca_pem, "pump-SN1234", kNow).error().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_FALSE(
      VerifyDeviceCertificate(p.device_pem, p.ca_pem, "pump-SN1234", kNow + 11 * 365 * 86400LL)
          .has_value());
  EXPECT_FALSE(VerifyDeviceCertificate(p.device_pem, p.ca_pem, "pump-SN9999", kNow).has_value());
  EXPECT_FALSE(VerifyDeviceCertificate("garbage", p.ca_pem, "pump-SN1234", kNow).has_value());
  // The CA key must match the CA certificate; ids must be identifiers; keys must be ECDSA.
  EXPECT_FALSE(IssueDeviceCertificate(*other.ca_key, p.ca_pem, *p.device_key->PublicKey(), "x",
                                      {kNow, kNow + 10}, *Env::Default())
                   .has_value());
  EXPECT_FALSE(IssueDeviceCertificate(*p.ca_key, p.ca_pem, *p.device_key->PublicKey(), "a b",
                                      {kNow, kNow + 10}, *Env::Default())
                   .has_value());
  auto ed = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
  EXPECT_FALSE(IssueDeviceCertificate(*p.ca_key, p.ca_pem, *(*ed)->PublicKey(), "x",
                                      {kNow, kNow + 10}, *Env::Default())
                   .has_value());
  // A device certificate cannot act as a CA for another device.
  auto fake = IssueDeviceCertificate(*p.device_key, p.device_pem, *other.device_key->PublicKey(),
                                     "pump-SN0001", {kNow - 60, kNow + 86400}, *Env::Default());
  if (fake) {
    EXPECT_FALSE(VerifyDeviceCertificate(*fake, p.ca_pem, "pump-SN0001", kNow).has_value());
  }
}

}  // namespace
}  // namespace vigil::identity
