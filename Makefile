# The front door: every target installs what is missing, configures and builds as needed.
.PHONY: deps build demo test test-soak test-cluster test-fault reliability-report test-asan fuzz bench sample-fleet demo-fleet screenshots clean

BUILD := build
HEADROOM := $(BUILD)/apps/headroom
SAMPLE := config/sample-fleet.json
DEMO_FLEET := config/demo-fleet.json

deps:
	@scripts/install-deps

$(BUILD)/build.ninja: | deps
	cmake --preset default

build: deps $(BUILD)/build.ninja
	cmake --build --preset default

# The live demo (docs/demo.md): the distribution system, the detector, a real relay per
# proxy of the bundled demo fleet and its 2,400 devices, in one process, from a fresh
# data/demo each time. `make demo DEMO_MODE=auto` re-schedules instead of warning;
# DEMO_TIME_ZONE is the zone the pages show times in beside UTC; Ctrl-C stops it.
DEMO_MODE ?= warn
DEMO_LISTEN ?= 127.0.0.1:8080
DEMO_TIME_ZONE ?= UTC
demo: build
	$(HEADROOM) check $(DEMO_FLEET)
	rm -rf data/demo
	$(HEADROOM) demo --fleet $(DEMO_FLEET) --mode $(DEMO_MODE) --listen $(DEMO_LISTEN) --data-dir data/demo \
	  --display-time-zone $(DEMO_TIME_ZONE)

# Each CTest run keeps its log as LastTest-NAME.log beside LastTest.log, which the next run
# overwrites: scripts/reliability-report reads the `reliability:` lines of them all.
keep_test_log = cp $(BUILD)/Testing/Temporary/LastTest.log $(BUILD)/Testing/Temporary/LastTest-$(1).log

test: build
	BOOST_TEST_COLOR_OUTPUT=no ctest --preset default || { $(call keep_test_log,test); exit 1; }
	$(call keep_test_log,test)

# Soak (tests/apps/relay_soak_test.cpp): connection churn through a real relay and its bus
# traffic for SOAK_SECONDS (default 120, as CI runs it; 600 for the 10-minute run); prints
# its `reliability:` figures. Not part of `make test`.
SOAK_SECONDS ?= 120
test-soak: build
	BOOST_TEST_COLOR_OUTPUT=no HEADROOM_SOAK_SECONDS=$(SOAK_SECONDS) ctest --preset soak \
	  || { $(call keep_test_log,soak); exit 1; }
	$(call keep_test_log,soak)

# Refreshes the README's screenshots (docs/img/) from a real browser: the operator pages
# and the report of `headroom sim`.
screenshots: build
	$(HEADROOM) sim --generate devices=10000,proxies=100,seed=3 --report-proxies 4 \
	  --report build/sim-screenshot-report
	HEADROOM_SCREENSHOTS=1 HEADROOM_SIM_REPORT_DIR=$(CURDIR)/build/sim-screenshot-report \
	  scripts/browser-test $(HEADROOM) schedule_pages.test.mjs sim_report.test.mjs demo.test.mjs
	$(HEADROOM) sim --live --fleet $(DEMO_FLEET) --speed 120 --report-proxies 4 \
	  --report build/live-screenshot-report
	HEADROOM_SCREENSHOTS=1 HEADROOM_SIM_REPORT_DIR=$(CURDIR)/build/live-screenshot-report \
	  HEADROOM_SIM_REPORT_SHOT=live-report.png scripts/browser-test $(HEADROOM) sim_report.test.mjs

# The multi-host cluster on this machine in network namespaces (tests/cluster/cluster_test.sh):
# root only; elsewhere CTest reports it as skipped. Not part of `make test`.
test-cluster: build
	BOOST_TEST_COLOR_OUTPUT=no ctest --preset cluster

# The fault tests (tests/fault, docs/reliability.md): the detector SIGKILLed again and
# again, the distribution system down past the circuit breaker's open time. Bounded: 8
# kills, a few minutes; HEADROOM_FAULT_ROUNDS=20 make test-fault for the long form.
HEADROOM_FAULT_ROUNDS ?= 8
test-fault: build
	HEADROOM_FAULT_ROUNDS=$(HEADROOM_FAULT_ROUNDS) BOOST_TEST_COLOR_OUTPUT=no ctest --preset fault \
	  || { $(call keep_test_log,fault); exit 1; }
	$(call keep_test_log,fault)

# Rewrites docs/reliability.md from the `reliability:` lines of the last CTest runs and the
# last `make fuzz` (scripts/reliability-report).
reliability-report:
	scripts/reliability-report

# The whole project under ASan+UBSan (build-asan/), and every fast suite under it. It leaves
# out the live, cluster, soak, fault and browser labels: real time and several processes,
# with bounds set for an unsanitized build; the browser drives chromium.
test-asan: deps
	cmake --preset asan
	cmake --build --preset asan
	BOOST_TEST_COLOR_OUTPUT=no ctest --preset asan

# Runs every libFuzzer target (docs/fuzzing.md) under ASan+UBSan for FUZZ_SECONDS each
# (default 30), one after the other, from its committed corpus; FUZZ_TARGETS="fuzz_json"
# runs only those. New crashers land in build-fuzz/artifacts/ (add them to the corpus).
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?=
fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" scripts/fuzz

bench: build
	bench/run

# Regenerates the bundled demo fleet (scripts/make-demo-fleet says what it holds).
demo-fleet:
	scripts/make-demo-fleet > $(DEMO_FLEET)

# Regenerates the bundled sample fleet (kept in git so that `headroom check` and the docs show the same table everywhere).
sample-fleet: build
	$(HEADROOM) gen-fleet --devices 1200 --proxies 8 --customers 8 --days 5 --seed 2 -o $(SAMPLE)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
