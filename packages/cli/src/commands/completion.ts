import type { Command } from "commander";
import { CliError } from "../errors.js";

interface Node {
  readonly path: string;
  readonly subcommands: readonly { name: string; description: string }[];
  readonly options: readonly string[];
}

/** Every command path (`""`, `tenants`, `tenants create`, ...) with its subcommands and flags. */
function walk(command: Command, path: string[], globals: readonly string[]): Node[] {
  const options = [
    ...globals,
    ...command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))),
    "--help",
  ];
  const here: Node = {
    path: path.join(" "),
    subcommands: command.commands.map((c) => ({ name: c.name(), description: c.description() })),
    options: [...new Set(options)],
  };
  return [here, ...command.commands.flatMap((c) => walk(c, [...path, c.name()], globals))];
}

function bash(nodes: readonly Node[]): string {
  const cases = nodes
    .map(
      (n) =>
        `    "${n.path}") words="${[...n.subcommands.map((s) => s.name), ...n.options].join(" ")}" ;;`,
    )
    .join("\n");
  return `# skillbridge completion for bash: source <(skillbridge completion bash)
_skillbridge() {
  local cur cmdpath="" word words candidate i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    if [[ -z "$cmdpath" ]]; then candidate="$word"; else candidate="$cmdpath $word"; fi
    case "$candidate" in
${nodes.map((n) => `      "${n.path}") cmdpath="$candidate" ;;`).join("\n")}
    esac
  done
  case "$cmdpath" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _skillbridge skillbridge
`;
}

function zsh(nodes: readonly Node[]): string {
  const cases = nodes
    .map((n) => {
      const subs = n.subcommands
        .map((s) => `'${s.name}:${s.description.replace(/'/g, "")}'`)
        .join(" ");
      return `    "${n.path}") subs=(${subs}); opts=(${n.options.join(" ")}) ;;`;
    })
    .join("\n");
  return `#compdef skillbridge
# skillbridge completion for zsh: skillbridge completion zsh > "\${fpath[1]}/_skillbridge"
_skillbridge() {
  local cmdpath="" word candidate
  local -a subs opts
  for word in "\${(@)words[2,CURRENT-1]}"; do
    [[ "$word" == -* ]] && continue
    if [[ -z "$cmdpath" ]]; then candidate="$word"; else candidate="$cmdpath $word"; fi
    case "$candidate" in
${nodes.map((n) => `      "${n.path}") cmdpath="$candidate" ;;`).join("\n")}
    esac
  done
  case "$cmdpath" in
${cases}
  esac
  if [[ "$PREFIX" == -* ]]; then compadd -- $opts; else _describe 'command' subs; fi
}
compdef _skillbridge skillbridge
`;
}

function fish(nodes: readonly Node[]): string {
  const lines = ["# skillbridge completion for fish: skillbridge completion fish | source"];
  lines.push("complete -c skillbridge -f");
  for (const n of nodes) {
    const parts = n.path ? n.path.split(" ") : [];
    const condition = parts.length
      ? `__fish_seen_subcommand_from ${parts.at(-1)}`
      : "__fish_use_subcommand";
    for (const s of n.subcommands) {
      lines.push(
        `complete -c skillbridge -n '${condition}' -a '${s.name}' -d '${s.description.replace(/'/g, "")}'`,
      );
    }
    for (const o of n.options.filter((o) => o.startsWith("--"))) {
      lines.push(`complete -c skillbridge -n '${condition}' -l '${o.slice(2)}'`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `skillbridge completion bash|zsh|fish`: a completion script generated from the command tree. */
export function completion(program: Command, shell: string | undefined): string {
  const globals = program.options.flatMap((o) =>
    [o.long, o.short].filter((f): f is string => Boolean(f)),
  );
  const nodes = walk(program, [], globals);
  switch (shell) {
    case "bash":
      return bash(nodes);
    case "zsh":
      return zsh(nodes);
    case "fish":
      return fish(nodes);
    default:
      throw new CliError(`Unknown shell "${shell ?? ""}".`, "Use bash, zsh or fish.");
  }
}
