#pragma once
// A fresh directory under the system's temporary directory, removed with its contents.

#include <filesystem>
#include <random>
#include <string>

namespace headroom::test {

class scratch_dir {
 public:
  scratch_dir() {
    std::random_device seed;
    path_ = std::filesystem::temp_directory_path() /
            ("headroom-detector-test-" + std::to_string(seed()));
    std::filesystem::create_directories(path_);
  }
  ~scratch_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace headroom::test
