/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl-accounts.c: the commands of io.github.kontor.Accounts1. Passwords are
 * read from standard input or a file descriptor, never from the command line, where
 * every user of the machine could read them. */
#define G_LOG_DOMAIN "kontorctl"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "kontor-dbus-generated.h"
#include "kontorctl.h"

/* Adding an account discovers and verifies servers: allow for slow ones. */
#define ACCOUNTS_TIMEOUT_MS (180 * 1000)

static KontorDBusAccounts1 *
get_accounts (GError **error)
{
  KontorDBusAccounts1 *proxy = kontor_dbus_accounts1_proxy_new_for_bus_sync (
    G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE, APPLICATION_ID, OBJECT_PATH, NULL, error);

  if (proxy != NULL)
    g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (proxy), ACCOUNTS_TIMEOUT_MS);
  return proxy;
}

/* One line from @fd without its newline; from a terminal, without echo. */
static char *
read_secret (int fd, const char *prompt, GError **error)
{
  g_autoptr (GInputStream) stream = g_unix_input_stream_new (fd, FALSE);
  g_autoptr (GDataInputStream) data = g_data_input_stream_new (stream);
  struct termios saved, quiet;
  gboolean terminal = isatty (fd);
  char *line;

  if (terminal)
    {
      fprintf (stderr, "%s", prompt);
      tcgetattr (fd, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (fd, TCSAFLUSH, &quiet);
    }
  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, error);
  if (terminal)
    {
      tcsetattr (fd, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }
  if (line == NULL && (error == NULL || *error == NULL))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("No password was given"));
  return line;
}

static gboolean
parse_fd (const char *text, int *out_fd)
{
  guint64 fd;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &fd, NULL))
    return FALSE;
  *out_fd = (int) fd;
  return TRUE;
}

static void
print_settings (const KontorctlOptions *options, GVariant *dict)
{
  if (options->json)
    {
      g_autoptr (JsonNode) node = json_gvariant_serialize (dict);

      kontorctl_print_json (node);
      return;
    }

  {
    GVariantIter iter;
    const char *key;
    GVariant *value;

    g_variant_iter_init (&iter, dict);
    while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
      {
        g_autofree char *text = NULL;

        if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
          text = g_variant_dup_string (value, NULL);
        else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
          {
            g_autofree const char **strv = g_variant_get_strv (value, NULL);
            text = g_strjoinv (",", (char **) strv);
          }
        else
          text = g_variant_print (value, FALSE);
        g_print ("%s\t%s\n", key, text);
        g_variant_unref (value);
      }
  }
}

/* The options a{sv} from --KEY VALUE pairs; the password file descriptors apart. */
static gboolean
parse_account_options (const char *command,
                       int argc,
                       char **argv,
                       GVariantBuilder *builder,
                       int *password_fd,
                       int *dav_password_fd,
                       int *files_password_fd,
                       int *exit_status)
{
  static const char *const string_keys[] = {
    "preset",     "display-name",  "full-name", "imap-host",  "imap-security",
    "smtp-host",  "smtp-security", "username",  "caldav-url", "carddav-url",
    "webdav-url", "dav-username",  NULL
  };

  for (int i = 0; i < argc; i++)
    {
      const char *key = argv[i] + 2;
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;

      if (!g_str_has_prefix (argv[i], "--") || value == NULL)
        {
          *exit_status =
            kontorctl_usage_error (command, _ ("Expected --OPTION VALUE, got “%s”"), argv[i]);
          return FALSE;
        }
      i++;

      if (g_strv_contains (string_keys, key))
        g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (value));
      else if (g_str_equal (key, "imap-port") || g_str_equal (key, "smtp-port"))
        {
          guint64 port;

          if (!g_ascii_string_to_unsigned (value, 10, 1, 65535, &port, NULL))
            {
              *exit_status =
                kontorctl_usage_error (command, _ ("“%s” is not a port number"), value);
              return FALSE;
            }
          g_variant_builder_add (builder, "{sv}", key, g_variant_new_uint32 ((guint32) port));
        }
      else if (g_str_equal (key, "trusted-certificate"))
        {
          g_autofree char *pem = NULL;
          g_autoptr (GError) error = NULL;

          if (!g_file_get_contents (value, &pem, NULL, &error))
            {
              *exit_status = kontorctl_usage_error (command, "%s", error->message);
              return FALSE;
            }
          g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (pem));
        }
      else if ((g_str_equal (key, "password-fd") && password_fd != NULL &&
                parse_fd (value, password_fd)) ||
               (g_str_equal (key, "dav-password-fd") && dav_password_fd != NULL &&
                parse_fd (value, dav_password_fd)) ||
               (g_str_equal (key, "files-password-fd") && files_password_fd != NULL &&
                parse_fd (value, files_password_fd)))
        continue;
      else
        {
          *exit_status = kontorctl_usage_error (command, _ ("Unknown option “%s”"), argv[i - 1]);
          return FALSE;
        }
    }
  return TRUE;
}

static int
list_accounts (const KontorctlOptions *options)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GVariant) list = NULL;
  g_autoptr (GError) error = NULL;
  GVariantIter iter;
  GVariant *account;

  if ((accounts = get_accounts (&error)) == NULL ||
      !kontor_dbus_accounts1_call_list_sync (accounts, &list, NULL, &error))
    return kontorctl_report_error (error);

  if (options->json)
    {
      g_autoptr (JsonNode) node = json_gvariant_serialize (list);

      kontorctl_print_json (node);
      return KONTORCTL_EXIT_OK;
    }

  g_variant_iter_init (&iter, list);
  while ((account = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *id = "", *email = "", *state = "";
      g_autofree const char **services = NULL;
      g_autofree char *joined = NULL;

      g_variant_lookup (account, "id", "&s", &id);
      g_variant_lookup (account, "email", "&s", &email);
      g_variant_lookup (account, "state", "&s", &state);
      g_variant_lookup (account, "services", "^a&s", &services);
      joined = services ? g_strjoinv (",", (char **) services) : g_strdup ("");
      g_print ("%s\t%s\t%s\t%s\n", id, email, joined, state);
      g_variant_unref (account);
    }
  return KONTORCTL_EXIT_OK;
}

static int
discover (const KontorctlOptions *options, int argc, char **argv)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (GError) error = NULL;
  GVariantBuilder builder;
  int status = KONTORCTL_EXIT_OK;

  if (argc < 1)
    return kontorctl_usage_error ("accounts", _ ("Expected an e-mail address"));

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (!parse_account_options ("accounts", argc - 1, argv + 1, &builder, NULL, NULL, NULL, &status))
    {
      g_variant_builder_clear (&builder);
      return status;
    }

  if ((accounts = get_accounts (&error)) == NULL ||
      !kontor_dbus_accounts1_call_discover_sync (
        accounts, argv[0], g_variant_builder_end (&builder), &settings, NULL, &error))
    return kontorctl_report_error (error);

  print_settings (options, settings);
  return KONTORCTL_EXIT_OK;
}

static int
add (const KontorctlOptions *options, int argc, char **argv)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *id = NULL;
  int password_fd = STDIN_FILENO, dav_fd = -1, files_fd = -1;
  int status = KONTORCTL_EXIT_OK;
  GVariantBuilder builder;

  if (argc < 1)
    return kontorctl_usage_error ("accounts", _ ("Expected an e-mail address"));

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (!parse_account_options ("accounts", argc - 1, argv + 1, &builder, &password_fd, &dav_fd,
                              &files_fd, &status))
    {
      g_variant_builder_clear (&builder);
      return status;
    }

  password = read_secret (password_fd, _ ("Password: "), &error);
  if (password != NULL && dav_fd >= 0)
    {
      g_autofree char *secret =
        read_secret (dav_fd, _ ("Calendar and contacts password: "), &error);

      if (secret != NULL)
        g_variant_builder_add (&builder, "{sv}", "dav-password", g_variant_new_string (secret));
    }
  if (password != NULL && error == NULL && files_fd >= 0)
    {
      g_autofree char *secret = read_secret (files_fd, _ ("Files password: "), &error);

      if (secret != NULL)
        g_variant_builder_add (&builder, "{sv}", "files-password", g_variant_new_string (secret));
    }
  if (error != NULL)
    {
      g_variant_builder_clear (&builder);
      return kontorctl_usage_error ("accounts", "%s", error->message);
    }

  if ((accounts = get_accounts (&error)) == NULL ||
      !kontor_dbus_accounts1_call_add_sync (accounts, argv[0], password,
                                            g_variant_builder_end (&builder), &id, NULL, &error))
    return kontorctl_report_error (error);

  g_print ("%s\n", id);
  return KONTORCTL_EXIT_OK;
}

static int
update (int argc, char **argv)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GError) error = NULL;
  int password_fd = -1, dav_fd = -1, files_fd = -1;
  int status = KONTORCTL_EXIT_OK;
  const struct
  {
    int *fd;
    const char *key;
    const char *prompt;
  } secrets[] = {
    { &password_fd, "password", N_ ("New password: ") },
    { &dav_fd, "dav-password", N_ ("New calendar and contacts password: ") },
    { &files_fd, "files-password", N_ ("New files password: ") },
  };
  GVariantBuilder builder;

  if (argc < 1)
    return kontorctl_usage_error ("accounts", _ ("Expected an account id"));

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (!parse_account_options ("accounts", argc - 1, argv + 1, &builder, &password_fd, &dav_fd,
                              &files_fd, &status))
    {
      g_variant_builder_clear (&builder);
      return status;
    }

  /* New passwords only when asked for with --*-password-fd. */
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *secret = NULL;

      if (*secrets[i].fd < 0)
        continue;
      if ((secret = read_secret (*secrets[i].fd, _ (secrets[i].prompt), &error)) == NULL)
        {
          g_variant_builder_clear (&builder);
          return kontorctl_usage_error ("accounts", "%s", error->message);
        }
      g_variant_builder_add (&builder, "{sv}", secrets[i].key, g_variant_new_string (secret));
    }

  if ((accounts = get_accounts (&error)) == NULL ||
      !kontor_dbus_accounts1_call_update_sync (accounts, argv[0], g_variant_builder_end (&builder),
                                               NULL, &error))
    return kontorctl_report_error (error);
  return KONTORCTL_EXIT_OK;
}

static int
verify (const KontorctlOptions *options, const char *id)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GVariant) results = NULL;
  g_autoptr (GError) error = NULL;
  gboolean all_ok = TRUE;
  GVariantIter iter;
  const char *service;
  GVariant *result;

  if ((accounts = get_accounts (&error)) == NULL ||
      !kontor_dbus_accounts1_call_verify_sync (accounts, id, &results, NULL, &error))
    return kontorctl_report_error (error);

  g_variant_iter_init (&iter, results);
  while (g_variant_iter_next (&iter, "{&sv}", &service, &result))
    {
      gboolean ok = FALSE;
      const char *name = "", *message = "";

      g_variant_lookup (result, "ok", "b", &ok);
      g_variant_lookup (result, "error", "&s", &name);
      g_variant_lookup (result, "message", "&s", &message);
      all_ok = all_ok && ok;
      if (!options->json)
        {
          if (ok)
            g_print ("%s\tok\n", service);
          else
            g_print ("%s\t%s\t%s\n", service, name, message);
        }
      g_variant_unref (result);
    }

  if (options->json)
    {
      g_autoptr (JsonNode) node = json_gvariant_serialize (results);

      kontorctl_print_json (node);
    }
  return all_ok ? KONTORCTL_EXIT_OK : KONTORCTL_EXIT_FAILED;
}

static int
simple_call (const char *what, int argc, char **argv)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if ((accounts = get_accounts (&error)) == NULL)
    return kontorctl_report_error (error);

  if (g_str_equal (what, "remove"))
    ok = kontor_dbus_accounts1_call_remove_sync (accounts, argv[0], NULL, &error);
  else
    ok = kontor_dbus_accounts1_call_set_enabled_sync (accounts, argv[0], argv[1],
                                                      g_str_equal (what, "enable"), NULL, &error);
  return ok ? KONTORCTL_EXIT_OK : kontorctl_report_error (error);
}

static int
set_password (int argc, char **argv)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;
  int fd = STDIN_FILENO;

  if (argc == 4 && g_str_equal (argv[2], "--password-fd"))
    {
      if (!parse_fd (argv[3], &fd))
        return kontorctl_usage_error ("accounts", _ ("“%s” is not a file descriptor"), argv[3]);
    }
  else if (argc != 2)
    return kontorctl_usage_error ("accounts", _ ("Expected an account id and mail, dav or files"));

  if ((password = read_secret (fd, _ ("New password: "), &error)) == NULL)
    return kontorctl_usage_error ("accounts", "%s", error->message);

  if ((accounts = get_accounts (&error)) == NULL ||
      !kontor_dbus_accounts1_call_set_password_sync (accounts, argv[0], argv[1], password, NULL,
                                                     &error))
    return kontorctl_report_error (error);
  return KONTORCTL_EXIT_OK;
}

static int
accounts_cb (const KontorctlOptions *options, int argc, char **argv)
{
  const char *sub = argc > 1 ? argv[1] : "list";

  if (argc <= 1 || (g_str_equal (sub, "list") && argc == 2))
    return list_accounts (options);
  if (g_str_equal (sub, "discover"))
    return discover (options, argc - 2, argv + 2);
  if (g_str_equal (sub, "add"))
    return add (options, argc - 2, argv + 2);
  if (g_str_equal (sub, "update"))
    return update (argc - 2, argv + 2);
  if (g_str_equal (sub, "verify") && argc == 3)
    return verify (options, argv[2]);
  if (g_str_equal (sub, "remove") && argc == 3)
    return simple_call ("remove", argc - 2, argv + 2);
  if ((g_str_equal (sub, "enable") || g_str_equal (sub, "disable")) && argc == 4)
    return simple_call (sub, argc - 2, argv + 2);
  if (g_str_equal (sub, "set-password"))
    return set_password (argc - 2, argv + 2);

  return kontorctl_usage_error ("accounts", _ ("Unknown or incomplete accounts command"));
}

const KontorctlCommand kontorctl_accounts_commands[] = {
  { "accounts",
    /* Translators: the words before the metavariables (list, add, …) are literal
     * subcommands; EMAIL, ID, SERVICE, N and OPTIONS stand for values. */
    N_ ("[list | discover EMAIL [OPTIONS] | add EMAIL [OPTIONS] | update ID [OPTIONS] | "
        "verify ID | remove ID | enable ID SERVICE | disable ID SERVICE | "
        "set-password ID mail|dav|files [--password-fd N]]"),
    N_ ("List, add, change, verify and remove accounts"),
    N_ ("add reads the password from standard input (or --password-fd N; --dav-password-fd N and "
        "--files-password-fd N for separate calendar/contacts and files passwords) and prints the "
        "new account’s id. update changes the given settings of an account after verifying them "
        "(new passwords with the same --*-password-fd options). Options: --preset opendesk, "
        "--display-name, --full-name, --username, --imap-host, --imap-port, "
        "--imap-security tls|starttls|none, --smtp-host, --smtp-port, --smtp-security, "
        "--caldav-url, --carddav-url, --webdav-url, --dav-username, "
        "--trusted-certificate FILE.PEM. An empty URL leaves that service out. list prints id, "
        "e-mail, enabled services and state, separated by tabs. verify prints one line per "
        "service and exits 1 when one fails. SERVICE is mail, calendar, contacts or files."),
    accounts_cb },
  { NULL }
};
