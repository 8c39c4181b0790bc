#include "bus/event_spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "messages/codec.hpp"

namespace headroom::bus {

struct event_spool::file {
  std::string path;
  int fd = -1;
  int lock_fd = -1;
  ~file() {
    if (fd >= 0) ::close(fd);
    if (lock_fd >= 0) ::close(lock_fd);  // releases the lock
  }
};

namespace {

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string framed(const std::string& writer, std::uint64_t seq, const messages::payload& body) {
  const auto frame = messages::encode(writer, seq, body);
  std::string out(4, '\0');
  const auto size = static_cast<std::uint32_t>(frame.size());
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((size >> (8 * i)) & 0xff);
  return out + frame;
}

/// The whole file, or an error naming it.
domain::expected<std::string> read_all(int fd, const std::string& path) {
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return domain::error{path, "cannot read the spool: " + errno_text()};
    if (n == 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

event_stamp stamp_of(messages::payload& body) {
  return std::visit(
      [](auto& x) -> event_stamp {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, messages::session_event> ||
                      std::is_same_v<T, messages::observed_duration>)
          return {&x.instance, &x.event_seq, &x.unacked_from};
        else
          return {};
      },
      body);
}

event_spool::event_spool(std::size_t limit, std::string writer)
    : limit_(limit), writer_(std::move(writer)) {}
event_spool::event_spool(event_spool&&) noexcept = default;
event_spool& event_spool::operator=(event_spool&&) noexcept = default;
event_spool::~event_spool() = default;

domain::expected<event_spool> event_spool::open(const std::string& path, std::size_t limit,
                                                const std::string& writer) {
  if (limit < 1) return domain::error{"spool limit", "must be at least 1"};
  event_spool spool{limit, writer};
  if (path.empty()) return spool;
  std::error_code ec;
  const auto dir = std::filesystem::path{path}.parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return domain::error{path, "cannot create the spool's directory: " + ec.message()};
  auto f = std::make_unique<file>();
  f->path = path;
  f->lock_fd = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (f->lock_fd < 0) return domain::error{path + ".lock", "cannot open: " + errno_text()};
  if (::flock(f->lock_fd, LOCK_EX | LOCK_NB) != 0)
    return domain::error{path,
                         "the spool is in use by another process (two nodes with one "
                         "node id or spool path?)"};
  f->fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (f->fd < 0) return domain::error{path, "cannot open the spool: " + errno_text()};
  auto bytes = read_all(f->fd, path);
  if (!bytes) return bytes.failure();
  std::size_t offset = 0;
  while (bytes->size() - offset >= 4) {
    std::uint32_t size = 0;
    for (int i = 0; i < 4; ++i)
      size |= std::uint32_t{static_cast<unsigned char>((*bytes)[offset + i])} << (8 * i);
    if (bytes->size() - offset - 4 < size) break;
    auto decoded = messages::decode(std::string_view{*bytes}.substr(offset + 4, size));
    if (!decoded) break;  // a torn or damaged record: what follows cannot be trusted
    offset += 4 + size;
    ++spool.records_in_file_;
    if (auto* ack = std::get_if<messages::events_ack>(&decoded->body)) {
      spool.forget_in_memory(ack->instance, ack->through);
      continue;
    }
    auto stamp = stamp_of(decoded->body);
    if (!stamp.instance || stamp.instance->empty()) break;
    std::string instance = *stamp.instance;  // copied before the body moves
    const auto seq = *stamp.seq;
    ++spool.kept_[instance];
    spool.events_.push_back({std::move(decoded->body), std::move(instance), seq, false});
  }
  spool.torn_bytes_ = bytes->size() - offset;
  if (spool.torn_bytes_ > 0 && ::ftruncate(f->fd, static_cast<off_t>(offset)) != 0)
    return domain::error{path, "cannot cut off a torn record: " + errno_text()};
  spool.recovered_ = spool.events_.size();
  spool.file_ = std::move(f);
  // A lower limit than the run that wrote the file: the oldest go, as they would have.
  while (spool.events_.size() > limit) spool.drop_oldest();
  return spool;
}

void event_spool::record(const messages::payload& body, std::uint64_t seq) {
  if (!file_) return;
  if (write_all(file_->fd, framed(writer_, seq, body))) {
    ++records_in_file_;
    return;
  }
  ++write_failures_;
  last_error_ = file_->path + ": cannot write the spool: " + errno_text();
}

void event_spool::drop_oldest() {
  auto& oldest = events_.front();
  ++dropped_;
  // The oldest of its instance: forgetting through it forgets just it.
  record(messages::events_ack{oldest.instance, oldest.seq}, 0);
  uncount(oldest.instance, 1);
  events_.pop_front();
}

void event_spool::append(messages::payload event) {
  auto stamp = stamp_of(event);
  std::string instance = *stamp.instance;  // copied before the body moves
  const auto seq = *stamp.seq;
  record(event, seq);
  ++kept_[instance];
  events_.push_back({std::move(event), std::move(instance), seq, false});
  if (events_.size() > limit_) drop_oldest();
}

std::size_t event_spool::forget_in_memory(const std::string& instance, std::uint64_t through) {
  const auto before = events_.size();
  std::erase_if(events_,
                [&](const spooled_event& e) { return e.instance == instance && e.seq <= through; });
  uncount(instance, before - events_.size());
  return before - events_.size();
}

void event_spool::uncount(const std::string& instance, std::size_t n) {
  auto it = kept_.find(instance);
  if (it == kept_.end() || n == 0) return;
  it->second -= std::min(n, it->second);
  if (it->second == 0) kept_.erase(it);
}

std::size_t event_spool::forget(const std::string& instance, std::uint64_t through) {
  const auto forgotten = forget_in_memory(instance, through);
  if (forgotten == 0) return 0;
  record(messages::events_ack{instance, through}, 0);
  compact_if_mostly_forgotten();
  return forgotten;
}

std::uint64_t event_spool::oldest(const std::string& instance) const {
  // An instance's events are one block in sequence order: the newest instance's is last.
  if (auto it = kept_.find(instance);
      it != kept_.end() && !events_.empty() && events_.back().instance == instance)
    return events_[events_.size() - it->second].seq;
  std::uint64_t out = 0;
  for (const auto& e : events_)
    if (e.instance == instance && (out == 0 || e.seq < out)) out = e.seq;
  return out;
}

void event_spool::compact_if_mostly_forgotten() {
  // Rewriting costs the kept events; doing it only past 4,096 records and when at most a
  // quarter of them are kept makes its cost per record constant.
  if (!file_ || records_in_file_ < 4096 || events_.size() * 4 > records_in_file_) return;
  const auto temporary = file_->path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0;
  for (const auto& e : events_) ok = ok && write_all(fd, framed(writer_, e.seq, e.body));
  if (fd >= 0) ok = (::fsync(fd) == 0) && ok;
  if (fd >= 0) ::close(fd);
  if (!ok || ::rename(temporary.c_str(), file_->path.c_str()) != 0) {
    ++write_failures_;
    last_error_ = temporary + ": cannot rewrite the spool: " + errno_text();
    ::unlink(temporary.c_str());
    return;  // the long file is still right
  }
  const int fresh = ::open(file_->path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fresh < 0) {
    ++write_failures_;
    last_error_ = file_->path + ": cannot reopen the spool: " + errno_text();
    return;
  }
  ::close(file_->fd);
  file_->fd = fresh;
  records_in_file_ = events_.size();
}

}  // namespace headroom::bus
