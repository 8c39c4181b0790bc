// The CAF `inspect` of every wire type (messages/caf_types.hpp) walks exactly the members
// that messages/schema.hpp puts on the wire, in the same order: a field appended to one
// list and not the other fails here, so the two cannot drift apart.
#define BOOST_TEST_MODULE messages caf inspect
#include <boost/test/unit_test.hpp>
#include <caf/meta/annotation.hpp>
#include <type_traits>
#include <vector>

#include "messages/caf_types.hpp"
#include "messages/schema.hpp"

using namespace headroom::messages;

namespace {

/// Plays CAF's inspector: remembers the address of every member handed to it.
struct inspect_recorder {
  using result_type = void;
  std::vector<const void*> members;

  template <class... Ts>
  void operator()(Ts&&... xs) {
    (record(xs), ...);
  }

  template <class T>
  void record(T& x) {
    if constexpr (!std::is_base_of_v<caf::meta::annotation, std::decay_t<T>>) members.push_back(&x);
  }
};

/// Plays the codec's field visitor over schema.hpp's lists.
struct schema_recorder {
  std::vector<const void*> members;

  template <class T>
  void operator()(const char*, T& member) {
    members.push_back(&member);
  }
  template <class T>
  void operator()(const char*, T& member, headroom::messages::optional_field_t) {
    members.push_back(&member);
  }
};

template <class T>
void check_same_members() {
  T x{};
  inspect_recorder by_inspect;
  inspect(by_inspect, x);
  schema_recorder by_schema;
  fields(by_schema, x);
  BOOST_TEST(!by_schema.members.empty());
  BOOST_TEST(by_inspect.members == by_schema.members);
}

template <class... Ts>
void check_all(std::variant<Ts...>*) {
  (check_same_members<Ts>(), ...);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_message_type_inspects_the_fields_it_sends) {
  check_all(static_cast<payload*>(nullptr));
}

BOOST_AUTO_TEST_CASE(every_nested_wire_type_inspects_the_fields_it_sends) {
  check_same_members<device_seen>();
  check_same_members<overload_window>();
  check_same_members<job_move>();
  check_same_members<unschedulable_job>();
}
