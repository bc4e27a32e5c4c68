# Sourced by ab-jmh.sh and interleaved.sh.
# grid NAME=V1,V2 ...: prints every combination of the arguments' values, one point a line, as
# name=v,name2=v2 (in the order of the arguments).
grid() {
  local points=("") spec name values next p v vs
  for spec in "$@"; do
    name=${spec%%=*}; values=${spec#*=}; next=()
    for p in "${points[@]}"; do
      IFS=, read -ra vs <<< "$values"
      for v in "${vs[@]}"; do next+=("${p:+$p,}$name=$v"); done
    done
    points=("${next[@]}")
  done
  printf '%s\n' "${points[@]}"
}
