#pragma once
// A SQLite VFS over the platform's own whose writes fail on demand: an I/O error from the
// Nth write on, or a full disk once the files have grown by a given number of bytes. It
// installs itself as the default VFS of the test process, so the code under test opens
// its files through it unchanged. Faults last until heal(), as a broken or full disk does.

#include <cstdint>

namespace headroom::test {

class faulty_vfs {
 public:
  /// The process's one instance, registered as SQLite's default VFS on first use.
  static faulty_vfs& installed();

  /// Writes succeed again and nothing is counted.
  void heal();
  /// After WRITES more successful writes, every write fails with SQLITE_IOERR_WRITE.
  void fail_writes_after(std::int64_t writes);
  /// Once the files have grown by BYTES more, a write that would grow one further fails
  /// with SQLITE_FULL (what SQLite reports for ENOSPC); writes inside a file still pass.
  void fill_disk_after(std::int64_t bytes);

  /// Writes refused since the last heal().
  [[nodiscard]] std::int64_t refused() const;
  /// Writes that reached the disk since the last heal().
  [[nodiscard]] std::int64_t written() const;
};

}  // namespace headroom::test
