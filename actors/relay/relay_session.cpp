#include "actors/relay/relay_session.hpp"

#include <caf/send.hpp>

namespace headroom::relay {

namespace {

// Turns the connection's reports (on Asio threads) into messages to the session.
class session_observer final : public relay::connection_observer {
 public:
  explicit session_observer(relay_session_actor session) : session_(std::move(session)) {}

  void identified(std::string device_id) override {
    caf::anon_send(session_, atom::identified_v, std::move(device_id));
  }
  void refused(relay::refusal_reason reason, std::string detail) override {
    caf::anon_send(session_, atom::refused_v, reason, std::move(detail));
  }
  void closed(relay::connection_totals totals) override {
    caf::anon_send(session_, atom::ended_v, std::move(totals));
  }

 private:
  relay_session_actor session_;
};

}  // namespace

relay_session_actor::behavior_type relay_session(
    relay_session_actor::stateful_pointer<relay_session_state> self, connection_ptr connection,
    relay::node_agent_actor agent, std::uint64_t session_id) {
  auto& st = self->state;
  st.connection = std::move(connection);
  st.agent = std::move(agent);
  st.session_id = session_id;
  st.opened = self->clock().now();
  // However the session ends (its connection closed, or a shutdown), the connection goes too.
  self->attach_functor([connection = st.connection] { connection->stop(); });
  st.connection->start(std::make_shared<session_observer>(self));
  return {
      [self](atom::identified, std::string device) {
        auto& st = self->state;
        st.device = std::move(device);
        self->request(st.agent, caf::infinite, atom::admit_v, st.device,
                      st.connection->client_address())
            .then(
                [self](const relay::admission& decision) {
                  auto& st = self->state;
                  if (decision.admitted) {
                    st.admitted = true;
                    st.connection->admit();
                  } else {
                    st.connection->refuse_admission(decision.retry_after_seconds);
                  }
                },
                [self](const caf::error&) {
                  // No agent, no admission: the device retries later.
                  self->state.connection->refuse_admission(30);
                });
      },
      [self](atom::refused, relay::refusal_reason reason, std::string detail) {
        auto& st = self->state;
        self->send(st.agent, relay::refusal{reason, st.device, st.connection->client_address(),
                                            std::move(detail)});
      },
      [self](atom::ended, relay::connection_totals totals) {
        auto& st = self->state;
        auto now = self->clock().now();
        relay::session_report report;
        report.session_id = st.session_id;
        report.device_id = st.device;
        report.client_address = st.connection->client_address();
        report.admitted = st.admitted;
        report.opened_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(st.opened.time_since_epoch())
                .count();
        report.duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - st.opened).count();
        report.totals = std::move(totals);
        self->send(st.agent, std::move(report));
        self->quit();
      },
  };
}

}  // namespace headroom::relay
