#pragma once

// A node's at-least-once outbox for the events it sends the detector (session events and
// transfer times). Every event, stamped with its node instance and sequence number, is
// kept until the detector acks it, in a file that outlives the relay process: a record is
// written before its event is sent, so a SIGKILL loses nothing that was sent. There is no
// fsync per event (it would cap a busy relay's rate): a power loss may lose the last
// events the kernel had not written yet.
//
// The file is a log of frames (messages/codec), each behind a 4-byte little-endian length:
// an event kept, or an events_ack forgetting one instance's events up to a sequence
// number. It is rewritten with only the kept events when most of it is forgotten. A torn
// record at the end (a write cut short by the kill) is cut off when the file is opened.
//
// Bounded: past `limit` events the oldest is dropped, counted, and logged as forgotten.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "domain/expected.hpp"
#include "messages/types.hpp"

namespace headroom::bus {

/// One event waiting for the detector's ack.
struct spooled_event {
  messages::payload body;  ///< A stamped session_event or observed_duration.
  std::string instance;    ///< Its stamp, copied out of the body.
  std::uint64_t seq = 0;
  bool sent = false;  ///< Sent to the current detector instance (in memory only).
};

/// The instance, sequence number and oldest-unacked of a stamped event body.
struct event_stamp {
  std::string* instance = nullptr;
  std::uint64_t* seq = nullptr;
  std::uint64_t* unacked_from = nullptr;
};

/// The stamp fields of BODY; all null when it is not an event that is spooled.
event_stamp stamp_of(messages::payload& body);

class event_spool {
 public:
  /// Opens (creating) the file at PATH and reads what an earlier run left there; an empty
  /// path keeps the events in memory only. `writer` is the node id stamped on records.
  /// The error names the file and what went wrong (also: another process holds it).
  static domain::expected<event_spool> open(const std::string& path, std::size_t limit,
                                            const std::string& writer);

  event_spool(event_spool&&) noexcept;
  event_spool& operator=(event_spool&&) noexcept;
  ~event_spool();

  /// Keeps a stamped event (see stamp_of); past the limit the oldest is dropped.
  void append(messages::payload event);

  /// Forgets INSTANCE's events up to and including THROUGH; returns how many.
  std::size_t forget(const std::string& instance, std::uint64_t through);

  /// The kept events, oldest first.
  [[nodiscard]] std::deque<spooled_event>& events() { return events_; }
  [[nodiscard]] const std::deque<spooled_event>& events() const { return events_; }

  /// The oldest kept sequence number of INSTANCE, or 0 when none is kept.
  [[nodiscard]] std::uint64_t oldest(const std::string& instance) const;

  [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
  /// Events found in the file when it was opened.
  [[nodiscard]] std::size_t recovered() const { return recovered_; }
  /// Bytes of a torn last record cut off when the file was opened.
  [[nodiscard]] std::size_t torn_bytes() const { return torn_bytes_; }
  /// Records that could not be written (the event is still kept in memory); the latest
  /// error is in last_error().
  [[nodiscard]] std::uint64_t write_failures() const { return write_failures_; }
  [[nodiscard]] const std::string& last_error() const { return last_error_; }

 private:
  struct file;
  event_spool(std::size_t limit, std::string writer);
  void record(const messages::payload& body, std::uint64_t seq);
  void drop_oldest();
  std::size_t forget_in_memory(const std::string& instance, std::uint64_t through);
  void uncount(const std::string& instance, std::size_t n);
  void compact_if_mostly_forgotten();

  std::size_t limit_;
  std::string writer_;
  std::deque<spooled_event> events_;
  std::map<std::string, std::size_t> kept_;  ///< Events kept per instance.
  std::unique_ptr<file> file_;               ///< Null: memory only.
  std::size_t records_in_file_ = 0;
  std::uint64_t dropped_ = 0;
  std::size_t recovered_ = 0;
  std::size_t torn_bytes_ = 0;
  std::uint64_t write_failures_ = 0;
  std::string last_error_;
};

}  // namespace headroom::bus
