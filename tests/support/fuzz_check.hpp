#pragma once
// The properties a fuzz target checks beyond "no crash, no exception": a broken one aborts,
// which libFuzzer reports as a crash (and keeps the input) and the corpus replay test
// (fuzz_replay_test.cpp) as a failure at that input.

#include <cstdio>
#include <cstdlib>

namespace headroom::test {

/// Aborts the run, saying which property failed, unless OK.
inline void fuzz_require(bool ok, const char* property) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property violated: %s\n", property);
  std::abort();
}

}  // namespace headroom::test
