#include "tests/support/faulty_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace headroom::test {
namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

// The state is global because SQLite calls the VFS from any thread through plain C
// function pointers.
std::atomic<std::int64_t> writes_left{never};
std::atomic<std::int64_t> growth_left{never};
std::atomic<std::int64_t> refused_count{0};
std::atomic<std::int64_t> written_count{0};

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs shim_vfs;
sqlite3_io_methods shim_methods;

/// Our file: the real VFS's file follows it in the same allocation.
struct shim_file {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<shim_file*>(f)->real; }

int shim_close(sqlite3_file* f) {
  auto* real = real_of(f);
  return real->pMethods ? real->pMethods->xClose(real) : SQLITE_OK;
}
int shim_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  return real_of(f)->pMethods->xRead(real_of(f), buffer, amount, offset);
}

int shim_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  auto* real = real_of(f);
  if (writes_left.fetch_sub(1) <= 0) {
    writes_left.store(0);
    ++refused_count;
    return SQLITE_IOERR_WRITE;
  }
  sqlite3_int64 size = 0;
  if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) size = 0;
  if (const auto growth = offset + amount - size; growth > 0) {
    if (growth_left.fetch_sub(growth) < growth) {
      growth_left.store(0);
      ++refused_count;
      return SQLITE_FULL;
    }
  }
  ++written_count;
  return real->pMethods->xWrite(real, buffer, amount, offset);
}

int shim_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int shim_sync(sqlite3_file* f, int flags) { return real_of(f)->pMethods->xSync(real_of(f), flags); }
int shim_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int shim_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int shim_unlock(sqlite3_file* f, int level) {
  return real_of(f)->pMethods->xUnlock(real_of(f), level);
}
int shim_check_reserved(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int shim_file_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int shim_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int shim_device_characteristics(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
// The WAL index lives in shared memory, not in writes: a full disk or a bad sector
// reaches it only through the files above.
int shim_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int shim_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void shim_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int shim_shm_unmap(sqlite3_file* f, int remove) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), remove);
}
int shim_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real_of(f)->pMethods->xFetch(real_of(f), offset, amount, out);
}
int shim_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), offset, p);
}

int shim_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<shim_file*>(f);
  shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
  const int rc = real_vfs->xOpen(real_vfs, name, shim->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set, so a failed open leaves it null.
  shim->base.pMethods = shim->real->pMethods ? &shim_methods : nullptr;
  return rc;
}

// Memory-mapped reads would bypass nothing we inject, but mapped writes are off in SQLite's
// default build; version 3 methods are forwarded as they are.
void build() {
  real_vfs = sqlite3_vfs_find(nullptr);
  if (!real_vfs) throw std::runtime_error("SQLite has no default VFS");
  shim_methods = {};
  shim_methods.iVersion = 3;
  shim_methods.xClose = shim_close;
  shim_methods.xRead = shim_read;
  shim_methods.xWrite = shim_write;
  shim_methods.xTruncate = shim_truncate;
  shim_methods.xSync = shim_sync;
  shim_methods.xFileSize = shim_file_size;
  shim_methods.xLock = shim_lock;
  shim_methods.xUnlock = shim_unlock;
  shim_methods.xCheckReservedLock = shim_check_reserved;
  shim_methods.xFileControl = shim_file_control;
  shim_methods.xSectorSize = shim_sector_size;
  shim_methods.xDeviceCharacteristics = shim_device_characteristics;
  shim_methods.xShmMap = shim_shm_map;
  shim_methods.xShmLock = shim_shm_lock;
  shim_methods.xShmBarrier = shim_shm_barrier;
  shim_methods.xShmUnmap = shim_shm_unmap;
  shim_methods.xFetch = shim_fetch;
  shim_methods.xUnfetch = shim_unfetch;
  std::memcpy(&shim_vfs, real_vfs, sizeof shim_vfs);
  shim_vfs.pNext = nullptr;
  shim_vfs.zName = "headroom-faulty";
  shim_vfs.szOsFile = static_cast<int>(sizeof(shim_file)) + real_vfs->szOsFile;
  shim_vfs.xOpen = shim_open;
  // The other VFS methods (delete, access, randomness, time, ...) take the real VFS as
  // their first argument only to read its fields, which the copy above carries.
  if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK)
    throw std::runtime_error("cannot register the faulty SQLite VFS");
}

}  // namespace

faulty_vfs& faulty_vfs::installed() {
  static faulty_vfs instance = [] {
    build();
    return faulty_vfs{};
  }();
  return instance;
}

void faulty_vfs::heal() {
  writes_left = never;
  growth_left = never;
  refused_count = 0;
  written_count = 0;
}

void faulty_vfs::fail_writes_after(std::int64_t writes) { writes_left = writes; }
void faulty_vfs::fill_disk_after(std::int64_t bytes) { growth_left = bytes; }
std::int64_t faulty_vfs::refused() const { return refused_count; }
std::int64_t faulty_vfs::written() const { return written_count; }

}  // namespace headroom::test
