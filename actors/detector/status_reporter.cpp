#include "actors/detector/status_reporter.hpp"

#include <caf/typed_response_promise.hpp>
#include <memory>

#include "detector/detector_errors.hpp"

namespace headroom::detector {
namespace {

/// One report being gathered: answered when the last part has answered or timed out.
struct gathering {
  detector_report report;
  caf::typed_response_promise<detector_report> promise;
  int outstanding = 0;

  void done() {
    if (--outstanding == 0) promise.deliver(std::move(report));
  }
};

template <class Result, class Handle, class Store>
void ask(status_reporter_actor::pointer self, const std::shared_ptr<gathering>& g,
         const Handle& part, const char* name, caf::timespan timeout, Store store) {
  if (!part) return;
  ++g->outstanding;
  auto request = [&] {
    if constexpr (std::is_same_v<Result, bus::bridge_stats>)
      return self->request(part, timeout, atom::get_v);
    else
      return self->request(part, timeout, atom::status_v);
  }();
  request.then(
      [g, store](Result& r) {
        store(g->report, std::move(r));
        g->done();
      },
      [g, name](const caf::error&) {
        g->report.missing.emplace_back(name);
        g->done();
      });
}

}  // namespace

status_reporter_actor::behavior_type status_reporter(status_reporter_actor::pointer self,
                                                     status_reporter_config config,
                                                     status_sources sources) {
  return {
      [=](atom::status) {
        auto g = std::make_shared<gathering>();
        g->report.detector_id = config.detector_id;
        g->report.mode = config.mode;
        g->report.started_at = config.started_at;
        g->promise = self->make_response_promise<detector_report>();
        g->outstanding = 1;  // Held until every request is out.
        const auto t = config.timeout;
        ask<registry_status>(
            self, g, sources.registry, "registry", t,
            [](detector_report& r, registry_status s) { r.registry = std::move(s); });
        ask<fetch_status>(self, g, sources.fetcher, "fetcher", t,
                          [](detector_report& r, fetch_status s) { r.fetch = std::move(s); });
        for (const auto& detector : sources.detectors)
          ask<detector_windows>(self, g, detector, "load detector", t,
                                [](detector_report& r, detector_windows w) {
                                  if (!r.windows) r.windows.emplace();
                                  r.windows->by_proxy.merge(w.by_proxy);
                                });
        ask<outbox_status>(self, g, sources.notifier, "notifier", t,
                           [](detector_report& r, outbox_status s) { r.outbox = std::move(s); });
        ask<bus::bridge_stats>(
            self, g, sources.hub, "bus", t,
            [](detector_report& r, bus::bridge_stats s) { r.bus = std::move(s); });
        auto promise = g->promise;
        g->done();
        return promise;
      },
  };
}

domain::expected<status_reporter_config> validate(status_reporter_config config) {
  if (config.detector_id.empty()) return domain::error{"detector.id", "must not be empty"};
  if (config.timeout <= caf::timespan{0}) return domain::error{"timeout", "must be positive"};
  return config;
}

caf::expected<status_reporter_actor> spawn_status_reporter(caf::actor_system& system,
                                                           status_reporter_config config,
                                                           status_sources sources) {
  auto valid = validate(std::move(config));
  if (!valid) return invalid_config("status reporter: " + valid.failure().message());
  if (!sources.registry || !sources.fetcher || !sources.notifier || !sources.hub)
    return invalid_config("status reporter: a part to ask is missing");
  return system.spawn(status_reporter, std::move(*valid), std::move(sources));
}

}  // namespace headroom::detector
