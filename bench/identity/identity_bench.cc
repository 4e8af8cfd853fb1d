// Login cost with the device's default Argon2id parameters (m = 64 MiB, t = 3, p = 1), beside
// the reference `argon2` command hashing with the same parameters in the same run. Issue 5 asks
// that login takes 50–500 ms on this machine: slow enough to make guessing expensive, fast enough
// for a clinician at the bedside.
#include <cstdio>

#include "support/report.h"
#include "vigil/identity/password_hasher.h"

int main() {
  using vigil::identity::Argon2Params;
  const Argon2Params params = Argon2Params::Default();
  auto pw = vigil::crypto::SecretBytes::CopyFrom(vigil::AsBytes("correct horse battery staple"));
  auto stored = vigil::identity::HashPassword(pw, params, *vigil::Env::Default());
  if (!stored) return 1;
  double ours = vigil::bench::MedianOf(7, [&] {
    double t0 = vigil::bench::NowSeconds();
    auto r = vigil::identity::VerifyPassword(*stored, pw, params);
    if (!r || !r->matched) std::abort();
    return vigil::bench::NowSeconds() - t0;
  });
  // argon2 CLI: -m is log2(KiB).
  int log2m = 0;
  while ((1u << (log2m + 1)) <= params.memory_kib()) ++log2m;
  std::string cmd = "echo -n 'correct horse battery staple' | argon2 saltsaltsaltsalt -id -t " +
                    std::to_string(params.iterations()) + " -m " + std::to_string(log2m) + " -p " +
                    std::to_string(params.parallelism()) + " -r >/dev/null";
  double peer = vigil::bench::MedianOf(7, [&] {
    double t0 = vigil::bench::NowSeconds();
    if (std::system(cmd.c_str()) != 0) return -1.0;
    return vigil::bench::NowSeconds() - t0;
  });
  char label[96];
  std::snprintf(label, sizeof label, "identity/login argon2id m=%uKiB t=%u p=%u",
                params.memory_kib(), params.iterations(), params.parallelism());
  vigil::bench::Report(label, ours * 1e3, "ms", "argon2 command (same params)", peer * 1e3);
  vigil::bench::Report("identity/login vs target upper bound", ours * 1e3, "ms", "target 500 ms",
                       500);
  return 0;
}
