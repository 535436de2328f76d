/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl-shell.c: the commands of io.github.kontor.Shell1: plugins, open,
 * present, version. */
#define G_LOG_DOMAIN "kontorctl"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-dbus-generated.h"
#include "kontorctl.h"

static KontorDBusShell1 *
get_shell (GError **error)
{
  /* Constructing the proxy starts Kontor by D-Bus activation when it is not running. */
  return kontor_dbus_shell1_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE,
                                                    APPLICATION_ID, OBJECT_PATH, NULL, error);
}

static int
list_plugins (const KontorctlOptions *options)
{
  g_autoptr (KontorDBusShell1) shell = NULL;
  g_autoptr (GVariant) plugins = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  GVariantIter iter;
  const char *id, *title, *state;

  if ((shell = get_shell (&error)) == NULL ||
      !kontor_dbus_shell1_call_list_plugins_sync (shell, &plugins, NULL, &error))
    return kontorctl_report_error (error);

  json_builder_begin_array (builder);
  g_variant_iter_init (&iter, plugins);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &id, &title, &state))
    {
      g_autofree char *message = NULL;

      if (g_strcmp0 (state, "failed") == 0 &&
          !kontor_dbus_shell1_call_get_plugin_error_sync (shell, id, &message, NULL, &error))
        return kontorctl_report_error (error);

      if (options->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, id);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, title);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, state);
          if (message != NULL)
            {
              json_builder_set_member_name (builder, "error");
              json_builder_add_string_value (builder, message);
            }
          json_builder_end_object (builder);
        }
      else if (message != NULL)
        g_print ("%s\t%s\t%s\t%s\n", id, title, state, message);
      else
        g_print ("%s\t%s\t%s\n", id, title, state);
    }
  json_builder_end_array (builder);

  if (options->json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (builder);

      kontorctl_print_json (root);
    }
  return KONTORCTL_EXIT_OK;
}

static int
set_enabled (const char *id, gboolean enabled)
{
  g_autoptr (KontorDBusShell1) shell = NULL;
  g_autoptr (GError) error = NULL;

  if ((shell = get_shell (&error)) == NULL ||
      !kontor_dbus_shell1_call_set_plugin_enabled_sync (shell, id, enabled, NULL, &error))
    return kontorctl_report_error (error);
  return KONTORCTL_EXIT_OK;
}

static int
plugins_cb (const KontorctlOptions *options, int argc, char **argv)
{
  if (argc == 1 || (argc == 2 && g_strcmp0 (argv[1], "list") == 0))
    return list_plugins (options);

  if (argc == 3 && g_strcmp0 (argv[1], "enable") == 0)
    return set_enabled (argv[2], TRUE);
  if (argc == 3 && g_strcmp0 (argv[1], "disable") == 0)
    return set_enabled (argv[2], FALSE);

  return kontorctl_usage_error ("plugins", _ ("Expected “list”, “enable ID” or “disable ID”"));
}

static int
open_cb (const KontorctlOptions *options, int argc, char **argv)
{
  g_autoptr (KontorDBusShell1) shell = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *target = NULL;

  if (argc != 2)
    return kontorctl_usage_error ("open", _ ("Expected one URI or file name"));

  /* Kontor runs in another folder: a relative file name is made absolute here. */
  scheme = g_uri_parse_scheme (argv[1]);
  if (scheme == NULL && !g_path_is_absolute (argv[1]))
    target = g_canonicalize_filename (argv[1], NULL);
  else
    target = g_strdup (argv[1]);

  if ((shell = get_shell (&error)) == NULL ||
      !kontor_dbus_shell1_call_open_sync (shell, target, NULL, &error))
    return kontorctl_report_error (error);
  return KONTORCTL_EXIT_OK;
}

static int
present_cb (const KontorctlOptions *options, int argc, char **argv)
{
  g_autoptr (KontorDBusShell1) shell = NULL;
  g_autoptr (GError) error = NULL;

  if (argc > 2)
    return kontorctl_usage_error ("present", _ ("Expected at most one plugin id"));

  if ((shell = get_shell (&error)) == NULL ||
      !kontor_dbus_shell1_call_present_sync (shell, argc == 2 ? argv[1] : "", NULL, &error))
    return kontorctl_report_error (error);
  return KONTORCTL_EXIT_OK;
}

static int
version_cb (const KontorctlOptions *options, int argc, char **argv)
{
  g_autoptr (KontorDBusShell1) shell = NULL;
  g_autoptr (GError) error = NULL;
  const char *version;

  if (argc != 1)
    return kontorctl_usage_error ("version", _ ("Expected no arguments"));

  if ((shell = get_shell (&error)) == NULL)
    return kontorctl_report_error (error);

  version = kontor_dbus_shell1_get_version (shell);
  if (version == NULL)
    {
      g_printerr ("kontorctl: %s\n", _ ("Kontor is not reachable on the session bus"));
      return KONTORCTL_EXIT_UNREACHABLE;
    }

  if (options->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kontor");
      json_builder_add_string_value (builder, version);
      json_builder_set_member_name (builder, "kontorctl");
      json_builder_add_string_value (builder, PACKAGE_VERSION);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kontorctl_print_json (root);
    }
  else
    g_print ("Kontor %s\nkontorctl %s\n", version, PACKAGE_VERSION);
  return KONTORCTL_EXIT_OK;
}

const KontorctlCommand kontorctl_shell_commands[] = {
  /* Translators: “list”, “enable” and “disable” are literal subcommands; ID stands
   * for a plugin id. */
  { "plugins", N_ ("[list | enable ID | disable ID]"),
    N_ ("List the installed plugins, or turn one on or off"),
    N_ ("Without arguments, prints one line per plugin: its id, title and state (“loaded”, "
        "“disabled” or “failed”, printed as such) separated by tabs, and for a failed plugin the "
        "reason."),
    plugins_cb },
  { "open", N_ ("URI|FILE"), N_ ("Open a URI or file in the plugin that handles it"),
    N_ ("Examples: kontorctl open mailto:someone@example.org, kontorctl open report.pdf. Fails "
        "with io.github.kontor.Error.NotSupported when no plugin can open it."),
    open_cb },
  { "present", N_ ("[PLUGIN]"), N_ ("Show the main window, optionally with a plugin"), NULL,
    present_cb },
  { "version", "", N_ ("Print the version of the running Kontor"), NULL, version_cb },
  { NULL }
};
