/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl.c: the scripting CLI, a thin client of Kontor's public D-Bus API.
 * Global options, command dispatch, help and the error/exit-status conventions. */
#define G_LOG_DOMAIN "kontorctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "kontorctl-mail.h"
#include "kontorctl.h"

static const KontorctlCommand *const command_tables[] = {
  kontorctl_shell_commands,
  kontorctl_accounts_commands,
  kontorctl_mail_commands,
};

static const KontorctlCommand *
find_command (const char *name)
{
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const KontorctlCommand *c = command_tables[t]; c->name != NULL; c++)
      if (g_strcmp0 (c->name, name) == 0)
        return c;
  return NULL;
}

static void
print_help (const KontorctlCommand *command, int argc, char **argv)
{
  if (command->subcommand_help == NULL || !command->subcommand_help (argc, argv))
    kontorctl_print_command_help (command);
}

static void
print_general_help (FILE *out)
{
  fprintf (out, "%s\n  kontorctl [--json] %s\n\n%s\n\n", _ ("Usage:"), _ ("COMMAND [ARGUMENTS…]"),
           _ ("Control Kontor, the mail, calendars, contacts and documents app, from scripts."));
  fprintf (out, "%s\n", _ ("Commands:"));
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const KontorctlCommand *c = command_tables[t]; c->name != NULL; c++)
      fprintf (out, "  %-10s %s\n", c->name, _ (c->summary));
  fprintf (out, "\n%s\n  --json      %s\n  --help, -h  %s\n  --version   %s\n\n", _ ("Options:"),
           _ ("Print machine-readable JSON"), _ ("Show help (also after a command)"),
           _ ("Print kontorctl’s version"));
  fprintf (out, "%s\n",
           _ ("Exit status: 0 success, 1 Kontor reported an error, 2 wrong usage, "
              "3 Kontor is not reachable on the session bus."));
}

void
kontorctl_print_command_help (const KontorctlCommand *command)
{
  g_print ("%s\n  kontorctl %s %s\n\n%s\n", _ ("Usage:"), command->name, _ (command->usage),
           _ (command->summary));
  if (command->help != NULL)
    g_print ("\n%s\n", _ (command->help));
}

gboolean
kontorctl_wants_help (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--help") == 0 || g_strcmp0 (argv[i], "-h") == 0)
      return TRUE;
  return FALSE;
}

int
kontorctl_usage_error (const char *command, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("kontorctl: %s\n", message);
  if (command != NULL)
    g_printerr (_ ("Try “kontorctl %s --help”.\n"), command);
  else
    g_printerr (_ ("Try “kontorctl --help”.\n"));
  return KONTORCTL_EXIT_USAGE;
}

/* Prints the error with its D-Bus name and returns the matching exit status. */
int
kontorctl_report_error (GError *error)
{
  g_autofree char *name = g_dbus_error_get_remote_error (error);

  gboolean unreachable;

  /* Kontor's own errors have names; a missing or unstartable service, or no bus at
   * all, is a different situation for a script. */
  if (name != NULL)
    unreachable = g_str_has_prefix (name, "org.freedesktop.DBus.Error.ServiceUnknown") ||
                  g_str_has_prefix (name, "org.freedesktop.DBus.Error.NameHasNoOwner") ||
                  g_str_has_prefix (name, "org.freedesktop.DBus.Error.Spawn.");
  else
    unreachable = error->domain == G_IO_ERROR || error->domain == G_DBUS_ERROR;

  if (unreachable)
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr ("kontorctl: %s: %s\n", _ ("Kontor is not reachable on the session bus"),
                  error->message);
      return KONTORCTL_EXIT_UNREACHABLE;
    }

  g_dbus_error_strip_remote_error (error);
  if (name != NULL)
    g_printerr ("kontorctl: %s (%s)\n", error->message, name);
  else
    g_printerr ("kontorctl: %s\n", error->message);
  return KONTORCTL_EXIT_FAILED;
}

void
kontorctl_print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
main (int argc, char *argv[])
{
  KontorctlOptions options = { FALSE };
  const KontorctlCommand *command;
  int first = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (; first < argc && argv[first][0] == '-'; first++)
    {
      if (g_strcmp0 (argv[first], "--json") == 0)
        options.json = TRUE;
      else if (g_strcmp0 (argv[first], "--help") == 0 || g_strcmp0 (argv[first], "-h") == 0)
        {
          print_general_help (stdout);
          return KONTORCTL_EXIT_OK;
        }
      else if (g_strcmp0 (argv[first], "--version") == 0)
        {
          g_print ("kontorctl %s\n", PACKAGE_VERSION);
          return KONTORCTL_EXIT_OK;
        }
      else
        return kontorctl_usage_error (NULL, _ ("Unknown option “%s”"), argv[first]);
    }

  if (first >= argc)
    {
      print_general_help (stderr);
      return KONTORCTL_EXIT_USAGE;
    }

  if (g_strcmp0 (argv[first], "help") == 0)
    {
      if (first + 1 < argc && (command = find_command (argv[first + 1])) != NULL)
        print_help (command, argc - first - 1, argv + first + 1);
      else
        print_general_help (stdout);
      return KONTORCTL_EXIT_OK;
    }

  command = find_command (argv[first]);
  if (command == NULL)
    return kontorctl_usage_error (NULL, _ ("Unknown command “%s”"), argv[first]);

  if (kontorctl_wants_help (argc - first, argv + first))
    {
      print_help (command, argc - first, argv + first);
      return KONTORCTL_EXIT_OK;
    }

  return command->handler (&options, argc - first, argv + first);
}
