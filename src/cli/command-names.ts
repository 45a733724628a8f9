// Every command's name and aliases, and nothing else: the unknown-command suggestion and the build (one bundle per
// command, scripts/bundle.js) read them without loading a command.

export const COMMAND_NAMES = {
  create: ['create'], 'attach-write': ['attach-write'], read: ['read', 'cat'], stat: ['stat', 'show'],
  rm: ['rm', 'remove', 'delete', 'del'], set: ['set', 'chmod', 'chown'], lock: ['lock', 'unlock'], info: ['info', 'limits'],
  list: ['list', 'ls'], watch: ['watch'], dump: ['dump'], restore: ['restore'], writer: ['writer'], reader: ['reader'],
  demo: ['demo'], completion: ['completion', '__complete'],
} as const satisfies Record<string, readonly string[]>;

export type CommandName = keyof typeof COMMAND_NAMES;
