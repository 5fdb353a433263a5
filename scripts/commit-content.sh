#!/usr/bin/env bash
# Commit what `sitegen fetch` changed under content/ (or another path) as github-actions[bot].
#
#   scripts/commit-content.sh [--dir PATH] [--title TEXT] [--push BRANCH]
#
# Stages every change under PATH (default: content) -- new, modified and deleted
# files -- and commits only those paths with the message
#   TITLE YYYY-MM-DD (N files)
# where TITLE defaults to "content: snapshot", the date is today's in UTC and N
# counts the changed files. PATH may also be a single file: the digest job
# commits digests-sent.json with --title "digest: record sent digests".
# Nothing changed: prints so and exits 0 without committing.
# Other staged or unstaged changes in the work tree are left alone.
#
# --push BRANCH pushes the new commit to origin's BRANCH. If origin moved on
# meanwhile (someone pushed while the fetch ran) it rebases onto it and tries
# again, three times at most. If GIT_PUSH_TOKEN is set, git gets it from a
# credential helper that reads the variable when git asks, so the token is
# never written to .git/config nor shown on a command line.
#
# When GITHUB_OUTPUT is set (GitHub Actions), writes committed=true|false and
# files=N to it.
set -euo pipefail

dir=content
title="content: snapshot"
branch=
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --title) title=${2:?--title needs a value}; shift 2 ;;
    --push) branch=${2:?--push needs a branch name}; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "commit-content.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

export GIT_AUTHOR_NAME='github-actions[bot]'
export GIT_AUTHOR_EMAIL='41898282+github-actions[bot]@users.noreply.github.com'
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s\n' "$@" >>"$GITHUB_OUTPUT"
  fi
}

# Run git with the token-reading credential helper when a token is given.
git_auth() {
  if [ -n "${GIT_PUSH_TOKEN:-}" ]; then
    # shellcheck disable=SC2016 # expanded by the helper's shell, on purpose
    git -c credential.helper= \
        -c credential.helper='!f() { echo username=x-access-token; echo "password=${GIT_PUSH_TOKEN}"; }; f' \
        "$@"
  else
    git "$@"
  fi
}

if [ ! -e "$dir" ]; then
  echo "commit-content.sh: no $dir here: nothing to commit"
  output committed=false files=0
  exit 0
fi

git add --all -- "$dir"
if git diff --cached --quiet -- "$dir"; then
  echo "No changes under $dir/: nothing to commit"
  output committed=false files=0
  exit 0
fi

files=$(git diff --cached --name-only -- "$dir" | wc -l | tr -d ' ')
if [ "$files" = 1 ]; then noun="file"; else noun="files"; fi
message="$title $(date -u +%Y-%m-%d) ($files $noun)"
# The pathspec limits the commit to $dir even if other paths are staged.
git commit --quiet --message "$message" -- "$dir"
echo "Committed: $message"
output committed=true "files=$files"

if [ -n "$branch" ]; then
  for attempt in 1 2 3; do
    if git_auth push origin "HEAD:refs/heads/$branch"; then
      exit 0
    fi
    if [ "$attempt" = 3 ]; then
      break
    fi
    echo "Push refused (attempt $attempt); rebasing onto origin/$branch and retrying" >&2
    git_auth pull --rebase --autostash --quiet origin "$branch"
  done
  echo "commit-content.sh: could not push to $branch" >&2
  exit 1
fi
