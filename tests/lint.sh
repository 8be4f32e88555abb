#!/bin/sh
# tests/lint.sh: static checks (make lint). A missing tool is reported and
# skipped, never a failure; a finding of a present tool is a failure.
cd "${0%/*}/.." || exit 2
status=0
src=$(git ls-files '*.c' '*.h' 2>/dev/null || find lib memlayout procview netlab tests -name '*.[ch]')

if command -v cppcheck >/dev/null 2>&1; then
	echo "lint: cppcheck"
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,portability,performance \
		--suppress=missingIncludeSystem -Ilib $src || status=1
else
	echo "lint: cppcheck not installed, skipped"
fi

if command -v clang-tidy >/dev/null 2>&1 && [ -f .clang-tidy ]; then
	echo "lint: clang-tidy"
	# one file per process, as many at once as there are cores
	out=$(echo "$src" | tr ' ' '\n' | grep '\.c$' | grep -v '^tests/fuzz/' |
		xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} \
		clang-tidy --quiet {} -- -std=c11 -D_GNU_SOURCE \
		-DVERSION='"lint"' -Ilib -Itests 2>/dev/null |
		grep -E 'warning:|error:')
	if [ -n "$out" ]; then
		echo "$out"
		status=1
	fi
else
	echo "lint: clang-tidy (or .clang-tidy) not present, skipped"
fi

if command -v clang-format >/dev/null 2>&1; then
	echo "lint: clang-format --dry-run"
	clang-format --dry-run --Werror $src || status=1
else
	echo "lint: clang-format not installed, skipped"
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
