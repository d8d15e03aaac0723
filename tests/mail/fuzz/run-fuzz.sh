#!/usr/bin/env bash
# Builds the GMime parser fuzz target with clang-14 (-fsanitize=fuzzer,address,undefined) and runs it
# for RAPPORT_FUZZ_SECONDS (default 60) on a seed corpus copied from tests/data/mail/corpus.
# Fails on any crash, leak, sanitizer report or timeout (libFuzzer exits non-zero).
#   run-fuzz.sh <source dir> <work dir>
# The binary is rebuilt only when a source it is built from is newer than it.
set -euo pipefail
src="${1:?source dir}"
work="${2:?work dir}"
seconds="${RAPPORT_FUZZ_SECONDS:-60}"
cxx="${RAPPORT_FUZZ_CXX:-clang++-14}"
mkdir -p "$work/obj" "$work/corpus" "$work/artifacts"

# The parser, its parse_* helpers, and HtmlToText with the rest of the gumbo-only html_* files (taken by
# pattern, so that a new helper file there needs no change here); and all of core (pure code, standard
# library only, the UTF-8 rules of core/text_rules.cc among it), so that what the parser uses from it is
# always there. No time-zone data: nothing here needs date-tz.
sources=(tests/mail/fuzz/parser_fuzz.cc src/mail/gmime_parser.cc src/mail/gmime_runtime.cc)
for f in "$src"/src/mail/parse_*.cc "$src"/src/mail/html_*.cc "$src"/src/core/*.cc; do sources+=("${f#"$src"/}"); done
flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -I"$src/src")
# GMime and gumbo headers as system headers, so that their macros do not trip our warnings.
for f in $(pkg-config --cflags gmime-3.0 gumbo); do
  case "$f" in -I*) flags+=(-isystem "${f#-I}") ;; *) flags+=("$f") ;; esac
done

binary="$work/parser_fuzz"
objects=()
pids=()
for s in "${sources[@]}"; do
  o="$work/obj/$(echo "$s" | tr / _).o"
  objects+=("$o")
  # Recompile when the source or any header of src/ is newer than the object.
  if [[ ! -f "$o" || "$src/$s" -nt "$o" || -n "$(find "$src/src" -name '*.h' -newer "$o" -print -quit)" ]]; then
    "$cxx" "${flags[@]}" -c "$src/$s" -o "$o" &
    pids+=($!)
    # At most two compilers at a time: the machine is shared.
    if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  fi
done
for p in "${pids[@]}"; do wait "$p"; done
needs_link=0
[[ -f "$binary" ]] || needs_link=1
for o in "${objects[@]}"; do [[ "$o" -nt "$binary" ]] && needs_link=1; done
if (( needs_link )); then
  # Through an archive, so that only the objects the parser needs are linked (other html_* files may
  # need files of other helpers).
  rm -f "$work/libparser.a"
  ar rcs "$work/libparser.a" "${objects[@]:1}"
  "$cxx" -fsanitize=fuzzer,address,undefined "${objects[0]}" "$work/libparser.a" -o "$binary" \
    $(pkg-config --libs gmime-3.0 gumbo)
fi

# Seeds: the copied corpus (small files only; the DoS shapes are in it as well, up to 1.2 MB).
find "$src/tests/data/mail/corpus" -type f \( -name '*.box' -o -name '*.eml' -o -name '*.txt' -o -name '*.msg' \
  -o -name '*.raw' \) -size -1300k -exec cp -n {} "$work/corpus/" \; 2>/dev/null || true

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
cd "$work"
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1300000 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus"
