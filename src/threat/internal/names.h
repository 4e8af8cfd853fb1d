// The words of the model format for each enum of model.h, in one table each: the reader accepts
// exactly these, the rules' fact vocabulary offers exactly these, and findings and views print
// them.
#ifndef VIGIL_THREAT_INTERNAL_NAMES_H_
#define VIGIL_THREAT_INTERNAL_NAMES_H_

#include <array>

#include "internal/yaml_doc.h"
#include "vigil/risk/decision.h"
#include "vigil/threat/model.h"

namespace vigil::threat::internal {

inline constexpr std::array<EnumName<SafetyClass>, 3> kSafetyClasses{
    {{"A", SafetyClass::kA}, {"B", SafetyClass::kB}, {"C", SafetyClass::kC}}};

inline constexpr std::array<EnumName<BoundaryKind>, 6> kBoundaryKinds{
    {{"device", BoundaryKind::kDevice},
     {"patient", BoundaryKind::kPatient},
     {"network", BoundaryKind::kNetwork},
     {"physical", BoundaryKind::kPhysical},
     {"cloud", BoundaryKind::kCloud},
     {"organisation", BoundaryKind::kOrganisation}}};

inline constexpr std::array<EnumName<AssetKind>, 4> kAssetKinds{
    {{"process", AssetKind::kProcess},
     {"datastore", AssetKind::kDatastore},
     {"external_entity", AssetKind::kExternalEntity},
     {"interface", AssetKind::kInterface}}};

inline constexpr std::array<EnumName<InterfaceType>, 12> kInterfaceTypes{
    {{"none", InterfaceType::kNone},
     {"jtag", InterfaceType::kJtag},
     {"swd", InterfaceType::kSwd},
     {"uart", InterfaceType::kUart},
     {"usb", InterfaceType::kUsb},
     {"ethernet", InterfaceType::kEthernet},
     {"wifi", InterfaceType::kWifi},
     {"bluetooth", InterfaceType::kBluetooth},
     {"cellular", InterfaceType::kCellular},
     {"nfc", InterfaceType::kNfc},
     {"serial", InterfaceType::kSerial},
     {"touchscreen", InterfaceType::kTouchscreen}}};

inline constexpr std::array<EnumName<Authentication>, 6> kAuthentications{
    {{"none", Authentication::kNone},
     {"password", Authentication::kPassword},
     {"password_totp", Authentication::kPasswordTotp},
     {"certificate", Authentication::kCertificate},
     {"token", Authentication::kToken},
     {"signature", Authentication::kSignature}}};

inline constexpr std::array<EnumName<Credentials>, 4> kCredentials{
    {{"none", Credentials::kNone},
     {"unique", Credentials::kUnique},
     {"shared", Credentials::kShared},
     {"default", Credentials::kDefault}}};

inline constexpr std::array<EnumName<KeyKind>, 4> kKeyKinds{
    {{"none", KeyKind::kNone},
     {"classical", KeyKind::kClassical},
     {"post_quantum", KeyKind::kPostQuantum},
     {"hybrid", KeyKind::kHybrid}}};

inline constexpr std::array<EnumName<Encryption>, 7> kEncryptions{
    {{"none", Encryption::kNone},
     {"tls", Encryption::kTls},
     {"dtls", Encryption::kDtls},
     {"aead", Encryption::kAead},
     {"wpa2", Encryption::kWpa2},
     {"wpa3", Encryption::kWpa3},
     {"ble_secure", Encryption::kBleSecure}}};

inline constexpr std::array<EnumName<TrackingStatus>, 5> kTrackingStatuses{
    {{"open", TrackingStatus::kOpen},
     {"mitigated", TrackingStatus::kMitigated},
     {"accepted", TrackingStatus::kAccepted},
     {"transferred", TrackingStatus::kTransferred},
     {"not_applicable", TrackingStatus::kNotApplicable}}};

inline constexpr std::array<EnumName<risk::Harm>, 5> kHarms{
    {{"negligible", risk::Harm::kNegligible},
     {"minor", risk::Harm::kMinor},
     {"serious", risk::Harm::kSerious},
     {"critical", risk::Harm::kCritical},
     {"catastrophic", risk::Harm::kCatastrophic}}};

}  // namespace vigil::threat::internal

#endif  // VIGIL_THREAT_INTERNAL_NAMES_H_
