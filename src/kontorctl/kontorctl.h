/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl.h: what the command files of kontorctl share. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit statuses a script can rely on (documented in the help and --help). */
enum
{
  KONTORCTL_EXIT_OK = 0,
  KONTORCTL_EXIT_FAILED = 1,      /* Kontor answered with an error */
  KONTORCTL_EXIT_USAGE = 2,       /* wrong command line */
  KONTORCTL_EXIT_UNREACHABLE = 3, /* Kontor is not on the session bus and can't be started */
};

typedef struct
{
  gboolean json;
} KontorctlOptions;

typedef int (*KontorctlHandler) (const KontorctlOptions *options, int argc, char **argv);

/* Prints the help of the subcommand argv names (argv[0] is the command) and returns
 * TRUE, or FALSE for the command's own help. */
typedef gboolean (*KontorctlHelpHandler) (int argc, char **argv);

typedef struct
{
  const char *name;
  const char *usage;   /* arguments, after the command name */
  const char *summary; /* one line */
  const char *help;    /* further paragraphs, or NULL */
  KontorctlHandler handler;
  KontorctlHelpHandler subcommand_help; /* or NULL */
} KontorctlCommand;

extern const KontorctlCommand kontorctl_shell_commands[];
extern const KontorctlCommand kontorctl_accounts_commands[];

int kontorctl_usage_error (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);
int kontorctl_report_error (GError *error);
void kontorctl_print_json (JsonNode *node);
gboolean kontorctl_wants_help (int argc, char **argv);
void kontorctl_print_command_help (const KontorctlCommand *command);

G_END_DECLS
