# dscan — one non-recursive Makefile. Outputs go to build/ (release) or
# build/<variant>/ ; `make` gives build/dscan, `make check` runs every test.
#
#   make                 release build: build/dscan, build/libdscan.a
#   make check           all tests (asserts on), ends with "N passed, N failed"
#   make asan            the same tests under AddressSanitizer + UBSan (clang)
#   make tsan            the same tests under ThreadSanitizer (clang): every test,
#                        since scans, resolvers and the CLI all run threads
#   make coverage        the tests with gcov; line and branch figures for src/
#   make PORTABLE=1 ...  any target with the portable POSIX file-system backend
#                        (src/sys_posix.c) instead of Linux's, in build/portable/
#   make fuzz-smoke      each fuzz target for FUZZ_SMOKE_SECONDS (libFuzzer)
#   make fuzz            each fuzz target for FUZZ_SECONDS (or FUZZ_RUNS executions)
#   make check-symbols   every global in libdscan.a is ds_* or dscan_*
#   make format          clang-format (14) every C file
#   make format-check    fail when one is not formatted (.ci/run runs it)

VARIANT ?= release
CC      ?= cc
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wcast-qual -Wvla
CPPFLAGS_BASE := -D_GNU_SOURCE -Iinclude -Isrc

ifeq ($(VARIANT),release)
O       := build
OPT     := -O2 -g -DNDEBUG
SANFLAGS :=
else ifeq ($(VARIANT),test)
O       := build/test
OPT     := -O2 -g
SANFLAGS :=
else ifeq ($(VARIANT),asan)
O       := build/asan
CC      := clang
OPT     := -O1 -g -fno-omit-frame-pointer
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
else ifeq ($(VARIANT),tsan)
O       := build/tsan
CC      := clang
OPT     := -O1 -g
SANFLAGS := -fsanitize=thread
else ifeq ($(VARIANT),coverage)
O       := build/coverage
CC      := gcc
OPT     := -O0 -g
SANFLAGS := --coverage
else
$(error unknown VARIANT '$(VARIANT)': release, test, asan, tsan or coverage)
endif

# The file-system backend (src/sys.h): Linux by default; PORTABLE=1 builds
# the portable POSIX one instead, into build/portable/...
PORTABLE ?= 0
ifeq ($(PORTABLE),1)
O       := $(patsubst build%,build/portable%,$(O))
SYS_OUT := src/sys_linux.c
CPPFLAGS += -DDS_PORTABLE
else
SYS_OUT := src/sys_posix.c
endif

CFLAGS  += $(WARN) $(OPT) $(SANFLAGS) -pthread -MMD -MP
CPPFLAGS += $(CPPFLAGS_BASE)
LDFLAGS += $(SANFLAGS) -pthread
LDLIBS  += -lm

LIB_SRC  := $(filter-out $(SYS_OUT),$(sort $(wildcard src/*.c)))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_SUPPORT := tests/harness.c
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(O)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(O)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(O)/tests/%)
REPLAY_BIN := $(FUZZ_SRC:fuzz/%.c=$(O)/replay/%)

.SECONDARY:
.PHONY: all check asan tsan coverage fuzz fuzz-smoke check-symbols format format-check clean bin tests

all: $(O)/dscan

bin: $(O)/dscan

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/libdscan.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(O)/dscan: $(CLI_OBJ) $(O)/libdscan.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(O)/libdscan.a $(LDLIBS)

$(O)/tests/%: $(O)/obj/tests/%.o $(O)/obj/tests/harness.o $(O)/libdscan.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(O)/obj/tests/harness.o $(O)/libdscan.a $(LDLIBS)

# Fuzz targets built with a plain main that replays their corpus, so every
# `make check` runs the corpora without needing libFuzzer.
$(O)/replay/%: $(O)/obj/fuzz/%.o $(O)/obj/fuzz/replay_main.o $(O)/libdscan.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(O)/obj/fuzz/replay_main.o $(O)/libdscan.a $(LDLIBS)

tests: $(O)/dscan $(TEST_BIN) $(REPLAY_BIN)

# `make check` builds the test variant (release optimisation, asserts on).
ifeq ($(VARIANT),release)
check:
	@$(MAKE) --no-print-directory VARIANT=test check
else
check: tests
	@tools/run-tests.sh $(O)
endif

asan:
	@$(MAKE) --no-print-directory VARIANT=asan check

tsan:
	@$(MAKE) --no-print-directory VARIANT=tsan check

# Counters from an earlier run would add up: start from zero each time.
coverage:
	@find build/coverage -name '*.gcda' -delete 2>/dev/null || true
	@$(MAKE) --no-print-directory VARIANT=coverage check
	@tools/coverage.sh build/coverage

# ---- fuzzing (clang + libFuzzer) ------------------------------------------
FUZZ_O := build/fuzz
FUZZ_CFLAGS := $(WARN) -O1 -g -pthread -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(CPPFLAGS_BASE)
FUZZ_LIB_SRC := $(LIB_SRC)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(FUZZ_O)/%)
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SECONDS ?= 600
# FUZZ_RUNS: stop each target after that many executions (0: time only);
# FUZZ_TARGETS: only these, e.g. "lex json".
FUZZ_RUNS ?= 0
FUZZ_TARGETS ?=

$(FUZZ_O)/%: fuzz/%.c $(FUZZ_LIB_SRC) $(wildcard src/*.h) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB_SRC) -lm

fuzz-smoke: $(FUZZ_BIN)
	@tools/run-fuzz.sh $(FUZZ_O) $(FUZZ_SMOKE_SECONDS)

fuzz: $(FUZZ_BIN)
	@tools/run-fuzz.sh $(FUZZ_O) $(FUZZ_SECONDS) $(FUZZ_RUNS) $(FUZZ_TARGETS)

check-symbols: $(O)/libdscan.a
	@tools/check-symbols.sh $(O)/libdscan.a

# clang-format 14 (Debian 12's), the version the tree is formatted with;
# cli/report_page.c is generated by tools/embed-page.sh.
CLANG_FORMAT ?= $(shell command -v clang-format-14 || command -v clang-format)
FORMAT_FILES := $(filter-out cli/report_page.c,$(wildcard include/*.h src/*.[ch] cli/*.[ch] tests/*.[ch] fuzz/*.c tools/*.c))

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	@$(CLANG_FORMAT) --version | grep -q 'version 14\.' || { echo "format-check needs clang-format 14, found: $$($(CLANG_FORMAT) --version)"; exit 1; }
	@$(CLANG_FORMAT) --dry-run -Werror $(FORMAT_FILES) && echo "format-check: $(words $(FORMAT_FILES)) files formatted"

clean:
	rm -rf build

# Dependency files of this variant only: another variant's would name its
# own objects, and reading them all costs every make a walk of build/.
-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)

# ---- npm packages with prebuilt binaries (tools/npm-dist.sh) ---------------
#   make npm-dist        cross-compiles dscan with Zig's C compiler (pinned npm
#                        package, tools/zig) for linux-x64/arm64 (static musl)
#                        and darwin-x64/arm64 (PORTABLE=1), checks each binary,
#                        and writes build/npm/*.tgz (main + one per platform)
#   make npm-qemu-check  the CLI tests (tests/cli) on the linux-arm64 binary,
#                        run by qemu-aarch64-static (Debian's qemu-user-static)
.PHONY: npm-dist npm-qemu-check
npm-dist:
	@tools/npm-dist.sh

npm-qemu-check:
	@test -x build/cross/linux-arm64/dscan || { echo "no build/cross/linux-arm64/dscan: run make npm-dist first"; echo "0 passed, 1 failed"; exit 1; }
	@mkdir -p build/qemu-arm64
	@printf '#!/bin/sh\nexec qemu-aarch64-static "%s/build/cross/linux-arm64/dscan" "$$@"\n' "$(CURDIR)" >build/qemu-arm64/dscan
	@chmod +x build/qemu-arm64/dscan
	@build/qemu-arm64/dscan --version | grep -q '^dscan ' || { echo "qemu-aarch64-static cannot run build/cross/linux-arm64/dscan"; echo "0 passed, 1 failed"; exit 1; }
	@tools/run-tests.sh build/qemu-arm64
