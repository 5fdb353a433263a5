#!/usr/bin/env bash
# Commit the snapshots `sitegen fetch` changed under content/ as github-actions[bot].
#
#   scripts/commit-content.sh [--dir DIR] [--status DIR] [--push BRANCH]
#   scripts/commit-content.sh --file FILE --title TEXT [--push BRANCH]
#
# Commits only snapshot files: *.md files under DIR/papers/ (DIR: content by
# default) whose names do not start with '.', new, modified or deleted. A new
# or modified file must hold whole front matter (a first line '---' and a
# closing '---' line) and, when the sitegen command is on PATH, pass
# `sitegen check`; one that fails is left unstaged with a warning. And the
# nightly records `sitegen fetch` writes in the status folder (--status DIR,
# status by default: [fetch] status): files named YYYY-MM-DD.json directly in
# it, new, modified or deleted (the fetch prunes old nights), each a regular
# file of at most 1,000,000 bytes. Anything else (the temp files of a killed
# fetch, lock files, notes, links) is never staged.
# The message is
#   content: snapshot YYYY-MM-DD (N files)
# where the date is today's in UTC and N counts the committed files.
# Nothing to commit: prints so and exits 0 without committing.
# --file FILE commits that one file instead (if it changed), with the message
#   TEXT YYYY-MM-DD (1 file)
# (the digest job records the digests it sent in digests-sent.json this way).
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
status_dir=status
branch=
file=
title="content: snapshot"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --status) status_dir=${2:?--status needs a value}; shift 2 ;;
    --file) file=${2:?--file needs a path}; shift 2 ;;
    --title) title=${2:?--title needs a value}; shift 2 ;;
    --push) branch=${2:?--push needs a branch name}; shift 2 ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
    *) echo "commit-content.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

export GIT_AUTHOR_NAME='github-actions[bot]'
export GIT_AUTHOR_EMAIL='41898282+github-actions[bot]@users.noreply.github.com'
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
export GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
# Paths are file names, never patterns: a '*' in a name must not widen a commit.
export GIT_LITERAL_PATHSPECS=1
export LC_ALL=C  # sort and comm must agree on order

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s\n' "$@" >>"$GITHUB_OUTPUT"
  fi
}

warn() {
  echo "commit-content.sh: warning: $*" >&2
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

push_if_asked() {
  [ -n "$branch" ] || return 0
  for attempt in 1 2 3; do
    if git_auth push origin "HEAD:refs/heads/$branch"; then
      return 0
    fi
    if [ "$attempt" = 3 ]; then
      break
    fi
    echo "Push refused (attempt $attempt); rebasing onto origin/$branch and retrying" >&2
    git_auth pull --rebase --autostash --quiet origin "$branch"
  done
  echo "commit-content.sh: could not push to $branch" >&2
  exit 1
}

if [ -n "$file" ]; then
  if [ -z "$(git status --porcelain=v1 --untracked-files=all -- "$file")" ]; then
    echo "No changes in $file: nothing to commit"
    output committed=false files=0
    exit 0
  fi
  message="$title $(date -u +%Y-%m-%d) (1 file)"
  git add -- "$file"
  git commit --quiet --message "$message" -- "$file"
  echo "Committed: $message"
  output committed=true files=1
  push_if_asked
  exit 0
fi

if [ ! -d "$dir" ] && [ ! -d "$status_dir" ]; then
  echo "commit-content.sh: no $dir/ folder here: nothing to commit"
  output committed=false files=0
  exit 0
fi

# git status names paths from the top of the work tree: work from there.
top=$(git rev-parse --show-toplevel)
real_top=$(cd -- "$top" && pwd -P)
papers=
if [ -d "$dir" ]; then
  papers=$(cd -- "$dir" && pwd -P)/papers
  papers=${papers#"$real_top"/}
fi
records=
if [ -d "$status_dir" ] && [ ! -L "$status_dir" ]; then
  records=$(cd -- "$status_dir" && pwd -P)
  records=${records#"$real_top"/}
fi
cd -- "$top"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/candidates"   # new or modified snapshots, relative to $papers, one per line
: >"$work/commit"       # what will be committed, NUL-separated, from the top

# Sort what changed into snapshots (new, modified, deleted) and everything else.
has_head=true
git rev-parse --verify --quiet HEAD >/dev/null || has_head=false
while IFS= read -r -d '' entry; do
  path=${entry:3}
  rel=${path#"$papers"/}
  name=${path##*/}
  if [[ $name == .* || $name != *.md || $rel =~ [^A-Za-z0-9._/-] ]]; then
    # Snapshot names are arXiv ids made safe (letters, digits, '.', '_', '-'), so a
    # hidden file, a temp file or any other name is not one.
    echo "commit-content.sh: left unstaged (not a snapshot): $path"
  elif [ -L "$path" ]; then
    echo "commit-content.sh: left unstaged (a symlink, not a snapshot): $path"
  elif [ -e "$path" ]; then
    printf '%s\n' "$rel" >>"$work/candidates"
  elif $has_head && git cat-file -e "HEAD:$path" 2>/dev/null; then
    printf '%s\0' "$path" >>"$work/commit"  # a deleted snapshot
  fi
done < <(if [ -n "$papers" ]; then
           git status --porcelain=v1 -z --untracked-files=all --no-renames -- "$papers"; fi)

# Whole front matter: the first line '---' and a later '---' line. An empty
# file never reaches FNR == 1, so it is never printed, so never passes.
if [ -s "$work/candidates" ]; then
  # shellcheck disable=SC2016 # an awk program: its $0 is awk's
  # File names follow `--` in every command given them: a snapshot named -h.md is a file,
  # never an option.
  (cd -- "$papers" && tr '\n' '\0' <"$work/candidates" | xargs -0 awk -- '
    function done(f) { if (f != "" && first && closed) print f }
    FNR == 1 { done(file); file = FILENAME; first = ($0 == "---"); closed = 0; next }
    $0 == "---" { closed = 1 }
    END { done(file) }
  ') >"$work/framed"
  sort -- "$work/framed" >"$work/framed.sorted"
  sort -- "$work/candidates" | comm -23 - "$work/framed.sorted" | while IFS= read -r rel; do
    warn "$papers/$rel:1: the front matter is not between two '---' lines; left unstaged (fix it or delete it)"
  done

  # The real parse, when sitegen is installed: its problems are FILE:LINE: message,
  # and FILE (a snapshot name) holds no ':'.
  if command -v sitegen >/dev/null 2>&1 && [ -s "$work/framed.sorted" ]; then
    status=0
    (cd -- "$papers" && tr '\n' '\0' <"$work/framed.sorted" | xargs -0 sitegen check --) >"$work/problems" || status=$?
    if [ "$status" != 0 ] && ! grep -q '^[^:]*:[0-9][0-9]*: ' "$work/problems"; then
      echo "commit-content.sh: sitegen check failed (exit $status) without naming a bad file; nothing committed" >&2
      exit 1
    fi
    while IFS= read -r line; do
      warn "$papers/$line; left unstaged (fix it or delete it)"
    done <"$work/problems"
    cut -d: -f1 -- "$work/problems" | sort -u >"$work/bad"
    comm -23 -- "$work/framed.sorted" "$work/bad" >"$work/good"
  else
    cp -- "$work/framed.sorted" "$work/good"
  fi
  while IFS= read -r rel; do
    printf '%s\0' "$papers/$rel" >>"$work/commit"
  done <"$work/good"
fi

# The nightly records: YYYY-MM-DD.json directly in the status folder, regular
# files of at most 1 MB (what sitegen reads back), new, modified or deleted.
if [ -n "$records" ]; then
  while IFS= read -r -d '' entry; do
    path=${entry:3}
    name=${path##*/}
    if [[ ! $name =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\.json$ || $path != "$records/$name" ]]; then
      echo "commit-content.sh: left unstaged (not a nightly record): $path"
    elif [ -L "$path" ]; then
      echo "commit-content.sh: left unstaged (a symlink, not a nightly record): $path"
    elif [ -f "$path" ]; then
      if [ "$(wc -c <"$path")" -gt 1000000 ]; then
        warn "$path: over the 1,000,000-byte cap for a nightly record; left unstaged (delete it)"
      else
        printf '%s\0' "$path" >>"$work/commit"
      fi
    elif [ -e "$path" ]; then
      echo "commit-content.sh: left unstaged (not a regular file): $path"
    elif $has_head && git cat-file -e "HEAD:$path" 2>/dev/null; then
      printf '%s\0' "$path" >>"$work/commit"  # a night pruned by the fetch
    fi
  done < <(git status --porcelain=v1 -z --untracked-files=all --no-renames -- "$records")
fi

files=$(tr -cd '\0' <"$work/commit" | wc -c | tr -d ' ')
if [ "$files" = 0 ]; then
  echo "No snapshot changes under $dir/: nothing to commit"
  output committed=false files=0
  exit 0
fi

if [ "$files" = 1 ]; then noun="file"; else noun="files"; fi
message="$title $(date -u +%Y-%m-%d) ($files $noun)"
git add --pathspec-from-file="$work/commit" --pathspec-file-nul
# Only these paths go into the commit, whatever else is staged.
git commit --quiet --message "$message" --pathspec-from-file="$work/commit" --pathspec-file-nul
echo "Committed: $message"
output committed=true "files=$files"

push_if_asked
