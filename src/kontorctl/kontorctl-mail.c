/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl-mail.c: the commands of io.github.kontor.Mail1, "kontorctl mail COMMAND":
 * folders, messages, search, flags, moving, deleting, sync, attachments, composing and
 * sending. */
#define G_LOG_DOMAIN "kontorctl"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <string.h>

#include "kontor-dbus-generated.h"
#include "kontorctl-mail.h"

/* Showing a message or searching may have to ask the server first. */
#define MAIL_TIMEOUT_MS (5 * 60 * 1000)
#define DEFAULT_LIMIT   50

typedef struct
{
  KontorctlOptions options; /* --json may also follow the command */
  char *command;            /* "mail list", for usage errors */
  GPtrArray *positional;    /* borrowed from argv */
  GPtrArray *names;         /* the options given, in order, without the dashes */
  GPtrArray *values;        /* their values, borrowed; NULL for an option without one */
} Args;

typedef int (*MailHandler) (KontorDBusMail1 *mail, Args *args);

typedef struct
{
  const char *name;
  const char *usage;
  const char *summary;
  const char *help;
  const char *options; /* " name name= ": the options it takes, "=" when with a value */
  guint min_args;
  guint max_args;
  MailHandler handler;
} MailCommand;

static void
args_clear (Args *args)
{
  g_clear_pointer (&args->command, g_free);
  g_clear_pointer (&args->positional, g_ptr_array_unref);
  g_clear_pointer (&args->names, g_ptr_array_unref);
  g_clear_pointer (&args->values, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Args, args_clear)

/* The last value given for the option @name, or NULL. */
static const char *
args_get (Args *args, const char *name)
{
  for (guint i = args->names->len; i > 0; i--)
    if (g_str_equal (g_ptr_array_index (args->names, i - 1), name))
      return g_ptr_array_index (args->values, i - 1);
  return NULL;
}

static gboolean
args_has (Args *args, const char *name)
{
  for (guint i = 0; i < args->names->len; i++)
    if (g_str_equal (g_ptr_array_index (args->names, i), name))
      return TRUE;
  return FALSE;
}

/* Every value of the option @name, in order, added to @values. */
static void
args_collect (Args *args, const char *name, GPtrArray *values)
{
  for (guint i = 0; i < args->names->len; i++)
    if (g_str_equal (g_ptr_array_index (args->names, i), name))
      g_ptr_array_add (values, g_ptr_array_index (args->values, i));
}

/* -1 when @command does not take the option @name, else how many values it takes. */
static int
option_arity (const MailCommand *command, const char *name)
{
  g_autofree char *plain = g_strdup_printf (" %s ", name);
  g_autofree char *valued = g_strdup_printf (" %s= ", name);

  if (strstr (command->options, plain) != NULL)
    return 0;
  if (strstr (command->options, valued) != NULL)
    return 1;
  return -1;
}

/* @argv[0] is the command's name. Options may come before, between and after the
 * arguments, as --NAME VALUE or --NAME=VALUE; "--" ends them. */
static gboolean
parse_args (const MailCommand *command,
            const KontorctlOptions *options,
            int argc,
            char **argv,
            Args *args,
            int *status)
{
  gboolean options_done = FALSE;

  args->options = *options;
  args->command = g_strdup_printf ("mail %s", command->name);
  args->positional = g_ptr_array_new ();
  args->names = g_ptr_array_new_with_free_func (g_free);
  args->values = g_ptr_array_new ();

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *equals;
      const char *value = NULL;
      g_autofree char *name = NULL;
      int arity;

      if (options_done || arg[0] != '-' || arg[1] == '\0')
        {
          g_ptr_array_add (args->positional, (char *) arg);
          continue;
        }
      if (g_str_equal (arg, "--"))
        {
          options_done = TRUE;
          continue;
        }

      equals = strchr (arg, '=');
      if (g_str_has_prefix (arg, "--"))
        name = equals != NULL ? g_strndup (arg + 2, equals - arg - 2) : g_strdup (arg + 2);
      if (name != NULL && equals == NULL && g_str_equal (name, "json"))
        {
          args->options.json = TRUE;
          continue;
        }

      arity = name != NULL ? option_arity (command, name) : -1;
      if (arity < 0 || (arity == 0 && equals != NULL))
        {
          *status = kontorctl_usage_error (args->command, _ ("Unknown option “%s”"), arg);
          return FALSE;
        }
      if (arity == 1)
        {
          if (equals != NULL)
            value = equals + 1;
          else if (i + 1 < argc)
            value = argv[++i];
          else
            {
              *status = kontorctl_usage_error (args->command, _ ("Option “%s” needs a value"), arg);
              return FALSE;
            }
        }
      g_ptr_array_add (args->names, g_steal_pointer (&name));
      g_ptr_array_add (args->values, (char *) value);
    }

  if (args->positional->len < command->min_args || args->positional->len > command->max_args)
    {
      g_autofree char *usage =
        g_strdup_printf ("kontorctl %s %s", args->command, _ (command->usage));

      *status =
        kontorctl_usage_error (args->command, _ ("Wrong number of arguments; usage: %s"), usage);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_uint (Args *args, const char *text, guint *out_value, int *status)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &value, NULL))
    {
      *status = kontorctl_usage_error (args->command, _ ("“%s” is not a number"), text);
      return FALSE;
    }
  *out_value = (guint) value;
  return TRUE;
}

/* As kontorctl_report_error(), with a hint when Kontor runs without the Mail plugin. */
static int
report_with_hint (GError *error, gboolean no_mail)
{
  int status;

  no_mail = no_mail || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
            g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
            g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT);
  status = kontorctl_report_error (error);
  if (no_mail)
    g_printerr ("kontorctl: %s\n",
                _ ("Is the Mail plugin turned on? “kontorctl plugins” shows its state."));
  return status;
}

static int
report (GError *error)
{
  return report_with_hint (error, FALSE);
}

static KontorDBusMail1 *
get_mail (GError **error)
{
  g_autoptr (KontorDBusMail1) mail = NULL;
  g_autoptr (GVariant) version = NULL;

  /* Constructing the proxy starts Kontor by D-Bus activation when it is not running. */
  mail = kontor_dbus_mail1_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION,
                                                   G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                                     G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
                                                   APPLICATION_ID, OBJECT_PATH, NULL, error);
  if (mail == NULL)
    return NULL;
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (mail), MAIL_TIMEOUT_MS);

  /* Kontor owns its bus name before its plugins have exported their interfaces. It
   * answers Shell1's properties from its main loop, so once one is read, start-up is
   * over and Mail1 is there if the plugin is. */
  version = g_dbus_proxy_call_sync (G_DBUS_PROXY (mail), "org.freedesktop.DBus.Properties.Get",
                                    g_variant_new ("(ss)", "io.github.kontor.Shell1", "Version"),
                                    G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (version == NULL)
    return NULL;
  return g_steal_pointer (&mail);
}

/* @text with tabs and line breaks as spaces, so that each record stays on its line. */
static char *
one_line (const char *text)
{
  char *line = g_strdup (text != NULL ? text : "");

  for (char *p = line; *p != '\0'; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';
  return line;
}

static char *
format_date (gint64 date)
{
  g_autoptr (GDateTime) time = date > 0 ? g_date_time_new_from_unix_local (date) : NULL;

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("-");
}

/* Takes @value if it is floating. */
static void
print_json (GVariant *value)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (value);
  g_autoptr (JsonNode) node = json_gvariant_serialize (owned);

  kontorctl_print_json (node);
}

/* The e-mail address @text names an account by: its id. Anything else is passed on
 * as it is, and Kontor tells if there is no such account. */
static char *
resolve_account (const char *text, int *status)
{
  g_autoptr (KontorDBusAccounts1) accounts = NULL;
  g_autoptr (GVariant) list = NULL;
  g_autoptr (GError) error = NULL;

  if (strchr (text, '@') == NULL)
    return g_strdup (text);

  accounts = kontor_dbus_accounts1_proxy_new_for_bus_sync (
    G_BUS_TYPE_SESSION,
    G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
    APPLICATION_ID, OBJECT_PATH, NULL, &error);
  if (accounts == NULL || !kontor_dbus_accounts1_call_list_sync (accounts, &list, NULL, &error))
    {
      *status = report (error);
      return NULL;
    }

  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr (GVariant) account = g_variant_get_child_value (list, i);
      const char *id = NULL, *email = NULL;

      if (g_variant_lookup (account, "id", "&s", &id) &&
          g_variant_lookup (account, "email", "&s", &email) &&
          g_ascii_strcasecmp (email, text) == 0)
        return g_strdup (id);
    }
  return g_strdup (text);
}

/* The account part of a folder or message id ("ACCOUNT/FULL-NAME[:UID]"). */
static char *
dup_account_of (const char *id)
{
  const char *slash = strchr (id, '/');

  return slash != NULL ? g_strndup (id, slash - id) : NULL;
}

/* The folder @text names: a folder id, or a full name ("INBOX", "Archive/2026") that one
 * account has, @account if given and it has one. A name no folder has is passed on as it
 * is, and Kontor answers NotFound; one of several accounts is a usage error. */
static char *
resolve_folder (KontorDBusMail1 *mail,
                Args *args,
                const char *text,
                const char *account,
                int *status)
{
  g_autoptr (GVariant) folders = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) matches = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) account_matches = g_ptr_array_new_with_free_func (g_free);
  gboolean inbox = g_ascii_strcasecmp (text, "INBOX") == 0;

  if (g_str_has_prefix (text, "unified:"))
    return g_strdup (text);

  if (!kontor_dbus_mail1_call_list_folders_sync (mail, "", &folders, NULL, &error))
    {
      *status = report (error);
      return NULL;
    }

  for (gsize i = 0; i < g_variant_n_children (folders); i++)
    {
      g_autoptr (GVariant) folder = g_variant_get_child_value (folders, i);
      const char *id = "", *full_name = "", *account_id = "";

      g_variant_lookup (folder, "id", "&s", &id);
      g_variant_lookup (folder, "full-name", "&s", &full_name);
      g_variant_lookup (folder, "account-id", "&s", &account_id);
      if (g_str_equal (id, text))
        return g_strdup (id);
      if (g_str_equal (full_name, text) || (inbox && g_ascii_strcasecmp (full_name, "INBOX") == 0))
        {
          g_ptr_array_add (matches, g_strdup (id));
          if (g_strcmp0 (account_id, account) == 0)
            g_ptr_array_add (account_matches, g_strdup (id));
        }
    }

  if (account_matches->len == 1)
    return g_strdup (g_ptr_array_index (account_matches, 0));
  if (matches->len == 1)
    return g_strdup (g_ptr_array_index (matches, 0));
  if (matches->len > 1)
    {
      *status = kontorctl_usage_error (
        args->command,
        _ ("More than one account has a folder “%s”: give its id, as “kontorctl mail folders” "
           "lists it"),
        text);
      return NULL;
    }
  return g_strdup (text);
}

/* One line of "list": date, marks, sender, subject, id. @message is an entry of
 * ListMessages(), or what GetMessage() returned. */
static void
print_summary (GVariant *message)
{
  const char *id = "", *subject = "", *from = "";
  g_autofree const char **flags = NULL;
  g_autoptr (GVariant) attachments = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *from_line = NULL;
  g_autofree char *subject_line = NULL;
  gboolean has_attachments = FALSE;
  gint64 date = 0;
  char marks[] = "----";

  g_variant_lookup (message, "id", "&s", &id);
  g_variant_lookup (message, "subject", "&s", &subject);
  g_variant_lookup (message, "from", "&s", &from);
  g_variant_lookup (message, "date", "x", &date);
  g_variant_lookup (message, "flags", "^a&s", &flags);
  if (!g_variant_lookup (message, "has-attachments", "b", &has_attachments))
    {
      attachments = g_variant_lookup_value (message, "attachments", NULL);
      has_attachments = attachments != NULL && g_variant_n_children (attachments) > 0;
    }

  if (flags == NULL || !g_strv_contains (flags, "seen"))
    marks[0] = 'U';
  if (flags != NULL && g_strv_contains (flags, "flagged"))
    marks[1] = 'F';
  if (flags != NULL && g_strv_contains (flags, "answered"))
    marks[2] = 'A';
  else if (flags != NULL && g_strv_contains (flags, "forwarded"))
    marks[2] = 'W';
  if (has_attachments)
    marks[3] = '@';

  date_text = format_date (date);
  from_line = one_line (from);
  subject_line = one_line (subject);
  g_print ("%s\t%s\t%s\t%s\t%s\n", date_text, marks, from_line, subject_line, id);
}

/* GetMessage()'s answer cut to the keys of a ListMessages() entry. */
static GVariant *
summary_from_message (GVariant *message)
{
  static const char *const keys[] = { "id", "subject", "from", "to", "date", "flags", NULL };
  g_autoptr (GVariant) attachments = g_variant_lookup_value (message, "attachments", NULL);
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_variant_lookup_value (message, keys[i], NULL);

      if (value != NULL)
        g_variant_dict_insert_value (&dict, keys[i], value);
    }
  g_variant_dict_insert (&dict, "has-attachments", "b",
                         attachments != NULL && g_variant_n_children (attachments) > 0);
  return g_variant_ref_sink (g_variant_dict_end (&dict));
}

/* The list entries of @ids, in their order: one ListMessages() per folder, and
 * GetMessage() for a message its folder's list does not have. */
static GPtrArray *
lookup_summaries (KontorDBusMail1 *mail, char **ids, GError **error)
{
  g_autoptr (GHashTable) found =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) summaries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *colon = strrchr (ids[i], ':');
      g_autofree char *folder = colon != NULL ? g_strndup (ids[i], colon - ids[i]) : NULL;
      GVariant *summary;

      if (folder != NULL && !g_hash_table_contains (listed, folder))
        {
          g_autoptr (GVariant) messages = NULL;

          /* A folder that cannot be listed leaves its messages to GetMessage(). */
          if (kontor_dbus_mail1_call_list_messages_sync (mail, folder, 0, 0, &messages, NULL, NULL))
            for (gsize j = 0; j < g_variant_n_children (messages); j++)
              {
                g_autoptr (GVariant) message = g_variant_get_child_value (messages, j);
                const char *id;

                if (g_variant_lookup (message, "id", "&s", &id))
                  g_hash_table_replace (found, g_strdup (id), g_steal_pointer (&message));
              }
          g_hash_table_add (listed, g_steal_pointer (&folder));
        }

      summary = g_hash_table_lookup (found, ids[i]);
      if (summary == NULL)
        {
          g_autoptr (GVariant) message = NULL;

          if (!kontor_dbus_mail1_call_get_message_sync (mail, ids[i], &message, NULL, error))
            return NULL;
          summary = summary_from_message (message);
          g_hash_table_replace (found, g_strdup (ids[i]), summary);
        }
      g_ptr_array_add (summaries, g_variant_ref (summary));
    }
  return g_steal_pointer (&summaries);
}

static int
folders_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GVariant) folders = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *account = NULL;
  int status = KONTORCTL_EXIT_OK;

  if (args->positional->len == 0)
    account = g_strdup ("");
  else if ((account = resolve_account (g_ptr_array_index (args->positional, 0), &status)) == NULL)
    return status;

  if (!kontor_dbus_mail1_call_list_folders_sync (mail, account, &folders, NULL, &error))
    return report (error);

  if (args->options.json)
    {
      print_json (folders);
      return KONTORCTL_EXIT_OK;
    }

  for (gsize i = 0; i < g_variant_n_children (folders); i++)
    {
      g_autoptr (GVariant) folder = g_variant_get_child_value (folders, i);
      const char *id = "", *full_name = "", *role = "";
      guint32 total = 0, unread = 0;
      g_autofree char *name_line = NULL;

      g_variant_lookup (folder, "id", "&s", &id);
      g_variant_lookup (folder, "full-name", "&s", &full_name);
      g_variant_lookup (folder, "role", "&s", &role);
      g_variant_lookup (folder, "total", "u", &total);
      g_variant_lookup (folder, "unread", "u", &unread);
      name_line = one_line (full_name);
      g_print ("%s\t%s\t%u/%u\t%s\n", name_line, *role != '\0' ? role : "-", unread, total, id);
    }
  return KONTORCTL_EXIT_OK;
}

static int
list_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GVariant) messages = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = NULL;
  const char *text;
  guint offset = 0, limit = DEFAULT_LIMIT;
  int status = KONTORCTL_EXIT_OK;

  if (((text = args_get (args, "offset")) != NULL && !parse_uint (args, text, &offset, &status)) ||
      ((text = args_get (args, "limit")) != NULL && !parse_uint (args, text, &limit, &status)))
    return status;

  folder = resolve_folder (mail, args, g_ptr_array_index (args->positional, 0), NULL, &status);
  if (folder == NULL)
    return status;

  if (!kontor_dbus_mail1_call_list_messages_sync (mail, folder, offset, limit, &messages, NULL,
                                                  &error))
    return report (error);

  if (args->options.json)
    {
      print_json (messages);
      return KONTORCTL_EXIT_OK;
    }

  for (gsize i = 0; i < g_variant_n_children (messages); i++)
    {
      g_autoptr (GVariant) message = g_variant_get_child_value (messages, i);

      print_summary (message);
    }
  return KONTORCTL_EXIT_OK;
}

static void
print_header (GVariant *message, const char *key, const char *label, gboolean always)
{
  const char *value = "";
  g_autofree char *line = NULL;

  g_variant_lookup (message, key, "&s", &value);
  if (*value == '\0' && !always)
    return;
  line = one_line (value);
  g_print ("%s %s\n", label, line);
}

static int
show_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GVariant) message = NULL;
  g_autoptr (GVariant) attachments = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *date_text = NULL;
  const char *text = "", *html = NULL;
  gint64 date = 0;

  if (!kontor_dbus_mail1_call_get_message_sync (mail, g_ptr_array_index (args->positional, 0),
                                                &message, NULL, &error))
    return report (error);

  if (args->options.json)
    {
      print_json (message);
      return KONTORCTL_EXIT_OK;
    }

  if (args_has (args, "html"))
    {
      if (!g_variant_lookup (message, "html", "&s", &html))
        {
          g_printerr ("kontorctl: %s\n", _ ("The message has no HTML part"));
          return KONTORCTL_EXIT_FAILED;
        }
      g_print ("%s%s", html, g_str_has_suffix (html, "\n") ? "" : "\n");
      return KONTORCTL_EXIT_OK;
    }

  /* The header names of the message itself, not translated, like the message. */
  print_header (message, "from", "From:", TRUE);
  print_header (message, "to", "To:", TRUE);
  print_header (message, "cc", "Cc:", FALSE);
  g_variant_lookup (message, "date", "x", &date);
  date_text = format_date (date);
  g_print ("Date: %s\n", date_text);
  print_header (message, "subject", "Subject:", TRUE);

  g_variant_lookup (message, "text", "&s", &text);
  g_print ("\n%s%s", text, *text == '\0' || g_str_has_suffix (text, "\n") ? "" : "\n");

  attachments = g_variant_lookup_value (message, "attachments", G_VARIANT_TYPE ("aa{sv}"));
  if (attachments != NULL && g_variant_n_children (attachments) > 0)
    {
      g_print ("\n%s\n", _ ("Attachments:"));
      for (gsize i = 0; i < g_variant_n_children (attachments); i++)
        {
          g_autoptr (GVariant) attachment = g_variant_get_child_value (attachments, i);
          const char *name = "", *type = "";
          guint64 size = 0;
          g_autofree char *name_line = NULL;
          g_autofree char *size_text = NULL;

          g_variant_lookup (attachment, "name", "&s", &name);
          g_variant_lookup (attachment, "mime-type", "&s", &type);
          g_variant_lookup (attachment, "size", "t", &size);
          name_line = one_line (name);
          size_text = g_format_size (size);
          g_print ("%" G_GSIZE_FORMAT "\t%s\t%s\t%s\n", i, name_line, type, size_text);
        }
    }
  return KONTORCTL_EXIT_OK;
}

static int
search_cb (KontorDBusMail1 *mail, Args *args)
{
  g_auto (GStrv) ids = NULL;
  g_autoptr (GPtrArray) summaries = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = NULL;
  const char *folder_text = args_get (args, "folder");
  int status = KONTORCTL_EXIT_OK;

  if (folder_text == NULL)
    folder = g_strdup ("");
  else if ((folder = resolve_folder (mail, args, folder_text, NULL, &status)) == NULL)
    return status;

  if (!kontor_dbus_mail1_call_search_sync (mail, g_ptr_array_index (args->positional, 0), folder,
                                           &ids, NULL, &error))
    return report (error);

  if (!args_has (args, "long"))
    {
      if (args->options.json)
        print_json (g_variant_new_strv ((const char *const *) ids, -1));
      else
        for (guint i = 0; ids[i] != NULL; i++)
          g_print ("%s\n", ids[i]);
      return KONTORCTL_EXIT_OK;
    }

  if ((summaries = lookup_summaries (mail, ids, &error)) == NULL)
    return report (error);

  if (args->options.json)
    {
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
      for (guint i = 0; i < summaries->len; i++)
        g_variant_builder_add_value (&builder, g_ptr_array_index (summaries, i));
      print_json (g_variant_builder_end (&builder));
    }
  else
    for (guint i = 0; i < summaries->len; i++)
      print_summary (g_ptr_array_index (summaries, i));
  return KONTORCTL_EXIT_OK;
}

/* The message ids of the command line as the NULL-terminated array a call takes. */
static GPtrArray *
dup_message_ids (Args *args)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < args->positional->len; i++)
    g_ptr_array_add (ids, g_ptr_array_index (args->positional, i));
  g_ptr_array_add (ids, NULL);
  return ids;
}

static int
flag_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GPtrArray) ids = dup_message_ids (args);
  g_autoptr (GPtrArray) add = g_ptr_array_new ();
  g_autoptr (GPtrArray) remove = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  args_collect (args, "add", add);
  args_collect (args, "remove", remove);
  if (args_has (args, "read"))
    g_ptr_array_add (add, (char *) "seen");
  if (args_has (args, "unread"))
    g_ptr_array_add (remove, (char *) "seen");
  if (args_has (args, "flagged"))
    g_ptr_array_add (add, (char *) "flagged");
  if (args_has (args, "unflagged"))
    g_ptr_array_add (remove, (char *) "flagged");

  if (add->len == 0 && remove->len == 0)
    return kontorctl_usage_error (args->command, _ ("Expected --add FLAG or --remove FLAG"));
  g_ptr_array_add (add, NULL);
  g_ptr_array_add (remove, NULL);

  if (!kontor_dbus_mail1_call_set_flags_sync (mail, (const char *const *) ids->pdata,
                                              (const char *const *) add->pdata,
                                              (const char *const *) remove->pdata, NULL, &error))
    return report (error);
  return KONTORCTL_EXIT_OK;
}

static int
move_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GPtrArray) ids = dup_message_ids (args);
  g_autoptr (GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *folder = NULL;
  const char *to = args_get (args, "to");
  int status = KONTORCTL_EXIT_OK;

  if (to == NULL)
    return kontorctl_usage_error (args->command, _ ("Expected --to FOLDER"));

  /* A folder name several accounts have means the one of the messages' account. */
  account = dup_account_of (g_ptr_array_index (args->positional, 0));
  if ((folder = resolve_folder (mail, args, to, account, &status)) == NULL)
    return status;

  if (!kontor_dbus_mail1_call_move_sync (mail, (const char *const *) ids->pdata, folder, NULL,
                                         &error))
    return report (error);
  return KONTORCTL_EXIT_OK;
}

static int
delete_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GPtrArray) ids = dup_message_ids (args);
  g_autoptr (GError) error = NULL;

  if (!kontor_dbus_mail1_call_delete_sync (mail, (const char *const *) ids->pdata, NULL, &error))
    return report (error);
  return KONTORCTL_EXIT_OK;
}

static int
sync_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *account = NULL;
  int status = KONTORCTL_EXIT_OK;

  if (args->positional->len == 0)
    account = g_strdup ("");
  else if ((account = resolve_account (g_ptr_array_index (args->positional, 0), &status)) == NULL)
    return status;

  /* The first sync of a big account takes long; Sync() returns when it is done. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (mail), G_MAXINT);
  if (!kontor_dbus_mail1_call_sync_sync (mail, account, NULL, &error))
    return report (error);
  return KONTORCTL_EXIT_OK;
}

/* @folder/NAME for the attachment @index of @message_id, or NULL when it has no such
 * attachment (Kontor then says so). */
static char *
path_in_folder (KontorDBusMail1 *mail,
                const char *message_id,
                guint index,
                const char *folder,
                GError **error)
{
  g_autoptr (GVariant) message = NULL;
  g_autoptr (GVariant) attachments = NULL;
  g_autoptr (GVariant) attachment = NULL;
  g_autofree char *base = NULL;
  const char *name = "";

  if (!kontor_dbus_mail1_call_get_message_sync (mail, message_id, &message, NULL, error))
    return NULL;
  attachments = g_variant_lookup_value (message, "attachments", G_VARIANT_TYPE ("aa{sv}"));
  if (attachments == NULL || index >= g_variant_n_children (attachments))
    return NULL;

  attachment = g_variant_get_child_value (attachments, index);
  g_variant_lookup (attachment, "name", "&s", &name);
  /* The name comes from the sender: only its last part, never a way out of @folder. */
  base = g_path_get_basename (name);
  if (*name == '\0' || g_str_equal (base, ".") || g_str_equal (base, "..") ||
      g_str_equal (base, G_DIR_SEPARATOR_S))
    {
      g_free (base);
      base = g_strdup_printf ("attachment-%u", index);
    }
  return g_build_filename (folder, base, NULL);
}

static int
save_attachment_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  const char *message_id = g_ptr_array_index (args->positional, 0);
  const char *index_text = g_ptr_array_index (args->positional, 1);
  guint64 index;

  if (!g_ascii_string_to_unsigned (index_text, 10, 0, G_MAXUINT32, &index, NULL))
    return kontorctl_usage_error (args->command, _ ("“%s” is not an attachment number"),
                                  index_text);

  /* Kontor runs in another folder: a relative file name is made absolute here. */
  path = g_canonicalize_filename (g_ptr_array_index (args->positional, 2), NULL);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *file = path_in_folder (mail, message_id, (guint) index, path, &error);

      if (error != NULL)
        return report (error);
      if (file != NULL)
        {
          g_free (path);
          path = g_steal_pointer (&file);
        }
    }

  if (!kontor_dbus_mail1_call_save_attachment_sync (mail, message_id, (guint) index, path, NULL,
                                                    &error))
    return report (error);

  if (args->options.json)
    print_json (g_variant_new_parsed ("{'path': <%s>}", path));
  else
    g_print ("%s\n", path);
  return KONTORCTL_EXIT_OK;
}

static int
offline_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GError) error = NULL;
  const char *state;

  if (args->positional->len == 0)
    {
      g_autoptr (GVariant) reply = NULL;
      g_autoptr (GVariant) value = NULL;
      gboolean offline;

      /* Read now, not from the proxy's cache: an error says why it cannot be read. */
      reply =
        g_dbus_proxy_call_sync (G_DBUS_PROXY (mail), "org.freedesktop.DBus.Properties.Get",
                                g_variant_new ("(ss)", "io.github.kontor.Mail1", "WorkOffline"),
                                G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      /* Properties.Get of an interface that is not there is InvalidArgs. */
      if (reply == NULL)
        return report_with_hint (error,
                                 g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS));
      g_variant_get (reply, "(v)", &value);
      offline =
        g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (value);

      if (args->options.json)
        print_json (g_variant_new_parsed ("{'offline': <%b>}", offline));
      else
        g_print ("%s\n", offline ? "on" : "off");
      return KONTORCTL_EXIT_OK;
    }

  state = g_ptr_array_index (args->positional, 0);
  if (!g_str_equal (state, "on") && !g_str_equal (state, "off"))
    return kontorctl_usage_error (args->command, _ ("Expected “on” or “off”"));

  if (!kontor_dbus_mail1_call_set_work_offline_sync (mail, g_str_equal (state, "on"), NULL, &error))
    return report (error);
  return KONTORCTL_EXIT_OK;
}

/* An absolute file name: Kontor runs in another folder. */
static char *
absolute_path (const char *path)
{
  return g_canonicalize_filename (path, NULL);
}

static gboolean
read_text (Args *args, const char *path, char **out_text, int *status)
{
  g_autoptr (GError) error = NULL;
  gsize length;

  if (path == NULL || g_str_equal (path, "-"))
    {
      g_autoptr (GInputStream) input = g_unix_input_stream_new (0, FALSE);
      g_autoptr (GOutputStream) output = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
                                  &error) < 0)
        goto failed;
      g_output_stream_write (output, "", 1, NULL, NULL);
      *out_text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (output));
    }
  else if (!g_file_get_contents (path, out_text, &length, &error))
    goto failed;
  if (!g_utf8_validate (*out_text, -1, NULL))
    {
      g_clear_pointer (out_text, g_free);
      *status = kontorctl_usage_error (args->command, _ ("“%s” is not UTF-8 text"),
                                       path ? path : _ ("The standard input"));
      return FALSE;
    }
  return TRUE;

failed:
  *status = kontorctl_usage_error (args->command, "%s", error->message);
  return FALSE;
}

static void
insert_list (GVariantDict *dict, Args *args, const char *option, const char *key, gboolean paths)
{
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) given = g_ptr_array_new ();

  args_collect (args, option, given);
  for (guint i = 0; i < given->len; i++)
    g_ptr_array_add (values, paths ? absolute_path (g_ptr_array_index (given, i))
                                   : g_strdup (g_ptr_array_index (given, i)));
  g_ptr_array_add (values, NULL);
  if (values->len > 1)
    g_variant_dict_insert (dict, key, "^as", (char **) values->pdata);
}

/* Each --inline image under its file name as Content-ID, which the HTML names as
 * "cid:NAME". */
static void
insert_inline_images (GVariantDict *dict, Args *args)
{
  g_autoptr (GPtrArray) given = g_ptr_array_new ();
  GVariantBuilder images;

  args_collect (args, "inline", given);
  if (given->len == 0)
    return;
  g_variant_builder_init (&images, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < given->len; i++)
    {
      g_autofree char *path = absolute_path (g_ptr_array_index (given, i));
      g_autofree char *name = g_path_get_basename (path);

      g_variant_builder_add (&images, "{ss}", name, path);
    }
  g_variant_dict_insert_value (dict, "inline-images", g_variant_builder_end (&images));
}

/* A composer in Kontor, filled with what was given; nothing is sent without the user. */
static int
compose_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GError) error = NULL;
  const char *subject = args_get (args, "subject");
  const char *body = args_get (args, "body");
  const char *from = args_get (args, "from");
  GVariantDict fields;

  g_variant_dict_init (&fields, NULL);
  insert_list (&fields, args, "to", "to", FALSE);
  insert_list (&fields, args, "cc", "cc", FALSE);
  insert_list (&fields, args, "bcc", "bcc", FALSE);
  insert_list (&fields, args, "attach", "attachments", TRUE);
  if (subject != NULL)
    g_variant_dict_insert (&fields, "subject", "s", subject);
  if (body != NULL)
    g_variant_dict_insert (&fields, "body", "s", body);
  if (from != NULL)
    g_variant_dict_insert (&fields, "from", "s", from);
  if (!kontor_dbus_mail1_call_compose_sync (mail, g_variant_dict_end (&fields), NULL, &error))
    return report (error);
  return KONTORCTL_EXIT_OK;
}

/* A draft from a Drafts folder, in a composer in Kontor. */
static int
edit_draft_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GError) error = NULL;

  if (!kontor_dbus_mail1_call_edit_draft_sync (mail, g_ptr_array_index (args->positional, 0), NULL,
                                               &error))
    return report (error);
  return KONTORCTL_EXIT_OK;
}

static int
send_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *html = NULL;
  g_autofree char *id = NULL;
  const char *subject = args_get (args, "subject");
  const char *from = args_get (args, "from");
  int status = KONTORCTL_EXIT_OK;
  GVariantDict fields;

  if (!args_has (args, "to") && !args_has (args, "cc") && !args_has (args, "bcc"))
    return kontorctl_usage_error (args->command, _ ("Expected --to, --cc or --bcc ADDRESS"));
  if (!read_text (args, args_get (args, "body-file"), &body, &status) ||
      (args_has (args, "html-file") &&
       !read_text (args, args_get (args, "html-file"), &html, &status)))
    return status;

  g_variant_dict_init (&fields, NULL);
  insert_list (&fields, args, "to", "to", FALSE);
  insert_list (&fields, args, "cc", "cc", FALSE);
  insert_list (&fields, args, "bcc", "bcc", FALSE);
  insert_list (&fields, args, "attach", "attachments", TRUE);
  insert_inline_images (&fields, args);
  g_variant_dict_insert (&fields, "subject", "s", subject ? subject : "");
  g_variant_dict_insert (&fields, "body", "s", body);
  if (html != NULL)
    g_variant_dict_insert (&fields, "html-body", "s", html);
  if (from != NULL)
    g_variant_dict_insert (&fields, "from", "s", from);
  if (args_has (args, "signature"))
    g_variant_dict_insert (&fields, "signature", "b", TRUE);
  if (args_has (args, "delay"))
    {
      guint64 delay;

      if (!g_ascii_string_to_unsigned (args_get (args, "delay"), 10, 0, 24 * 60 * 60, &delay, NULL))
        return kontorctl_usage_error (args->command,
                                      _ ("--delay takes a number of seconds, at most 86400"));
      g_variant_dict_insert (&fields, "delay", "u", (guint32) delay);
    }

  if (!kontor_dbus_mail1_call_send_sync (mail, g_variant_dict_end (&fields), &id, NULL, &error))
    return report (error);
  if (args->options.json)
    print_json (g_variant_new_parsed ("{'id': <%s>}", id));
  else
    g_print ("%s\n", id);
  return KONTORCTL_EXIT_OK;
}

/* A unix time as local "YYYY-MM-DD HH:MM:SS", or "-" for 0. */
static char *
format_time (gint64 time)
{
  g_autoptr (GDateTime) date = time > 0 ? g_date_time_new_from_unix_local (time) : NULL;

  return date != NULL ? g_date_time_format (date, "%F %T") : g_strdup ("-");
}

/* One line of "outbox": id, state, To and Cc, subject, reason, then the next attempt,
 * the end of the hold for undo-send and the whole envelope (with Bcc). */
static void
print_outbox_line (GVariant *message,
                   const char *id,
                   const char *state,
                   const char *to,
                   const char *subject,
                   const char *reason)
{
  gint64 next = 0, after = 0;
  g_autofree const char **recipients = NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *envelope = NULL;

  g_variant_lookup (message, "next-attempt", "x", &next);
  g_variant_lookup (message, "send-after", "x", &after);
  g_variant_lookup (message, "recipients", "^a&s", &recipients);
  next_text = format_time (next);
  after_text = format_time (after);
  envelope = recipients != NULL ? g_strjoinv (", ", (char **) recipients) : g_strdup ("");
  g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, state, to, subject, *reason ? reason : "-",
           next_text, after_text, envelope);
}

static int
outbox_cb (KontorDBusMail1 *mail, Args *args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) messages = NULL;
  const char *action;

  if (args->positional->len == 1)
    return kontorctl_usage_error (args->command, _ ("Expected “cancel ID” or “retry ID”"));
  if (args->positional->len == 2)
    {
      const char *id = g_ptr_array_index (args->positional, 1);
      gboolean done;

      action = g_ptr_array_index (args->positional, 0);
      if (g_str_equal (action, "cancel"))
        done = kontor_dbus_mail1_call_cancel_outbox_sync (mail, id, NULL, &error);
      else if (g_str_equal (action, "retry"))
        done = kontor_dbus_mail1_call_retry_outbox_sync (mail, id, NULL, &error);
      else
        return kontorctl_usage_error (args->command, _ ("Expected “cancel ID” or “retry ID”"));
      return done ? KONTORCTL_EXIT_OK : report (error);
    }

  if (!kontor_dbus_mail1_call_list_outbox_sync (mail, &messages, NULL, &error))
    return report (error);
  if (args->options.json)
    {
      print_json (g_steal_pointer (&messages));
      return KONTORCTL_EXIT_OK;
    }
  for (gsize i = 0; i < g_variant_n_children (messages); i++)
    {
      g_autoptr (GVariant) message = g_variant_get_child_value (messages, i);
      const char *id = "", *state = "", *to = "", *subject = "", *reason = "";
      g_autofree char *to_line = NULL;
      g_autofree char *subject_line = NULL;
      g_autofree char *reason_line = NULL;

      g_variant_lookup (message, "id", "&s", &id);
      g_variant_lookup (message, "state", "&s", &state);
      g_variant_lookup (message, "to", "&s", &to);
      g_variant_lookup (message, "subject", "&s", &subject);
      g_variant_lookup (message, "error", "&s", &reason);
      to_line = one_line (to);
      subject_line = one_line (subject);
      reason_line = one_line (reason);
      print_outbox_line (message, id, state, to_line, subject_line, reason_line);
    }
  return KONTORCTL_EXIT_OK;
}

static int
identities_cb (KontorDBusMail1 *mail, Args *args)
{
  return kontorctl_mail_identities (mail, args->options.json);
}

static int
alias_cb (KontorDBusMail1 *mail, Args *args)
{
  return kontorctl_mail_alias (mail, args->command, g_ptr_array_index (args->positional, 0),
                               g_ptr_array_index (args->positional, 1),
                               g_ptr_array_index (args->positional, 2));
}

static int
signature_cb (KontorDBusMail1 *mail, Args *args)
{
  const char *address = g_ptr_array_index (args->positional, 0);
  g_autofree char *text = NULL;
  int status = KONTORCTL_EXIT_OK;

  if (args_has (args, "clear"))
    return kontorctl_mail_signature_set (mail, address, "");
  if (!args_has (args, "file"))
    return kontorctl_mail_signature_print (mail, args->command, address);
  if (!read_text (args, args_get (args, "file"), &text, &status))
    return status;
  return kontorctl_mail_signature_set (mail, address, text);
}

static const MailCommand mail_commands[] = {
  { "folders", N_ ("[ACCOUNT]"), N_ ("List the folders of every account, or of one"),
    N_ ("Prints one line per folder: its full name, its role (inbox, drafts, sent, archive, "
        "junk, trash, outbox, or - for none), its unread and total messages as UNREAD/TOTAL, "
        "and its id, separated by tabs. ACCOUNT is an account id or e-mail address, as "
        "“kontorctl accounts” lists them. With --json, all about each folder."),
    " ", 0, 1, folders_cb },
  { "list", N_ ("FOLDER [--offset N] [--limit N]"),
    N_ ("List the messages of a folder, newest first"),
    N_ ("Prints one line per message: date and time, marks, sender, subject and id, separated "
        "by tabs. The marks are U (unread), F (flagged), A (answered) or W (forwarded), and @ "
        "(attachments), with - where one does not apply. --limit N prints at most N messages "
        "(50 unless given, 0 for all), --offset N skips the N newest. FOLDER is a folder id or "
        "the full name of a folder, such as INBOX or Archive/2026; unified:inbox is the Inbox "
        "of every account. With --json, all about each message, the flags by name."),
    " offset= limit= ", 1, 1, list_cb },
  { "show", N_ ("MESSAGE [--html]"), N_ ("Show a message"),
    N_ ("Prints the From, To, Cc, Date and Subject headers, a blank line and the text of the "
        "message, then its attachments, one per line: number, name, type and size, separated "
        "by tabs. --html prints the HTML of the message instead, as it was sent, and exits with "
        "status 1 if it has none. With --json, all of it. A message that is not on this "
        "computer yet is fetched from the server."),
    " html ", 1, 1, show_cb },
  { "search", N_ ("QUERY [--folder FOLDER] [--long]"), N_ ("Find messages"),
    N_ ("Prints the ids of the messages that match, newest first, one per line; with --long, "
        "the lines “kontorctl mail list” prints. QUERY has words to find and any of from:, to:, "
        "cc:, subject:, body:, has:attachment, is:unread, is:read, is:flagged, "
        "before:YYYY-MM-DD and after:YYYY-MM-DD; every term must match. Quote phrases, as in "
        "'from:\"Ada Lovelace\"'. Without --folder, every folder of every account is searched."),
    " folder= long ", 1, 1, search_cb },
  { "flag", N_ ("MESSAGE… [--add FLAG]… [--remove FLAG]…"), N_ ("Set or clear flags of messages"),
    N_ ("FLAG is seen, flagged, answered, forwarded, draft or junk. --read and --unread are "
        "short for --add seen and --remove seen, --flagged and --unflagged for --add flagged "
        "and --remove flagged."),
    " add= remove= read unread flagged unflagged ", 1, G_MAXUINT, flag_cb },
  { "move", N_ ("MESSAGE… --to FOLDER"), N_ ("Move messages to another folder of their account"),
    N_ ("FOLDER is a folder id or the full name of a folder of the messages’ account."), " to= ", 1,
    G_MAXUINT, move_cb },
  { "delete", N_ ("MESSAGE…"), N_ ("Move messages to the Trash"),
    N_ ("Messages that are in the Trash already are deleted for good."), " ", 1, G_MAXUINT,
    delete_cb },
  { "sync", N_ ("[ACCOUNT]"), N_ ("Fetch new mail and send the changes made offline"),
    N_ ("Returns when every account, or ACCOUNT, is in sync with its server. ACCOUNT is an "
        "account id or e-mail address."),
    " ", 0, 1, sync_cb },
  { "save-attachment", N_ ("MESSAGE NUMBER FILE"), N_ ("Save an attachment of a message"),
    N_ ("NUMBER is the attachment’s number as “kontorctl mail show” lists it, from 0. An "
        "existing FILE is replaced; if FILE is a folder, the attachment is saved in it under "
        "its own name. Prints the name of the file written."),
    " ", 3, 3, save_attachment_cb },
  { "offline", N_ ("[on|off]"), N_ ("Work from the copy on this computer only, or go online"),
    N_ ("Without an argument, prints on or off. on stops all traffic with the mail servers; "
        "reading, searching, flagging, moving and deleting go on with the copy on this "
        "computer. off connects again and sends the changes made meanwhile."),
    " ", 0, 1, offline_cb },
  { "send",
    N_ ("--to ADDRESS… [--cc ADDRESS]… [--bcc ADDRESS]… --subject TEXT [--body-file FILE] "
        "[--html-file FILE] [--inline FILE]… [--attach FILE]… [--from ADDRESS] [--signature] "
        "[--delay SECONDS]"),
    N_ ("Send a message"),
    N_ ("Puts the message in the Outbox and prints its id there; it is sent from there at once "
        "when online, else when the network is back. The text comes from --body-file, or from "
        "the standard input without it; --html-file adds an HTML version, and --inline an "
        "image it shows as <img src=\"cid:NAME\">, NAME being the file's name. --attach adds a "
        "file, and may be given several times, as may --inline, --to, --cc and --bcc; Bcc "
        "recipients appear in no header. --from is the sending account's e-mail address, one "
        "of its aliases, or its id; without it, the first account that can send. --signature "
        "adds the sender's signature below the text; without it the message has none. --delay N "
        "holds it N seconds first, during which \"outbox cancel ID\" still takes it back. With "
        "--json, {\"id\": ID}."),
    " to= cc= bcc= subject= body-file= html-file= inline= attach= from= signature delay= ", 0, 0,
    send_cb },
  { "compose",
    N_ ("[--to ADDRESS]… [--cc ADDRESS]… [--bcc ADDRESS]… [--subject TEXT] [--body TEXT] "
        "[--attach FILE]… [--from ADDRESS]"),
    N_ ("Open a new message in Kontor"),
    N_ ("Opens a composer window filled with what is given, for you to finish and send; "
        "nothing is sent by this command. --to, --cc, --bcc and --attach may be given several "
        "times. --from is the sending account's e-mail address."),
    " to= cc= bcc= subject= body= attach= from= ", 0, 0, compose_cb },
  { "edit-draft", N_ ("MESSAGE"), N_ ("Open a draft in Kontor to go on writing it"),
    N_ ("MESSAGE is a message of a Drafts folder, as list and search print them. It opens in "
        "a composer window with its recipients, Bcc included, its text and its attachments; "
        "the composer replaces it in Drafts when it saves and deletes it when the message is "
        "sent or discarded."),
    " ", 1, 1, edit_draft_cb },
  { "outbox", N_ ("[cancel ID | retry ID]"), N_ ("List, cancel or retry the messages not sent yet"),
    N_ ("Without arguments, prints one line per message in the Outbox: id, state, recipients, "
        "subject, why the last attempt failed (- if it did not), the time of the next "
        "attempt and the end of a --delay hold (- for none), and every recipient including "
        "Bcc, separated by tabs. The state is queued (waits for its next attempt), sending, failed "
        "(waits until retried "
        "or cancelled) or sent (the copy in Sent is pending). cancel ID deletes the message "
        "unsent; retry ID tries it again now. With --json, all about each message."),
    " ", 0, 2, outbox_cb },
  { "identities", "", N_ ("List the addresses you send from"),
    N_ ("Prints one line per address, each account's own address first, then its aliases: "
        "address, name, account id, main or alias, and the first line of its signature (- for "
        "none), separated by tabs. With --json, all about each, the whole signature included."),
    " ", 0, 0, identities_cb },
  { "alias", N_ ("add|remove ACCOUNT ALIAS"), N_ ("Add or remove an address an account sends as"),
    N_ ("ACCOUNT is an account id or its own e-mail address; ALIAS is \"Name <address>\" or "
        "just the address (then sent with the account's name). The aliases are stored with the "
        "account, where Evolution sees them too."),
    " ", 3, 3, alias_cb },
  { "signature", N_ ("ADDRESS [--file FILE | --clear]"),
    N_ ("Show or set the signature of an address"),
    N_ ("ADDRESS is one of the addresses “kontorctl mail identities” lists. Without options, "
        "prints its signature. --file FILE sets it from FILE, or from the standard input when "
        "FILE is -; --clear removes it. The signature is the text below the “-- ” line the "
        "composer puts above it."),
    " file= clear ", 1, 1, signature_cb },
};

static const MailCommand *
find_mail_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (mail_commands); i++)
    if (g_str_equal (mail_commands[i].name, name))
      return &mail_commands[i];
  return NULL;
}

/* The help of "mail COMMAND" when @argv names one; argv[0] is "mail". */
gboolean
kontorctl_mail_print_help (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      const MailCommand *command;
      g_autofree char *name = NULL;

      if (argv[i][0] == '-')
        continue;
      if ((command = find_mail_command (argv[i])) == NULL)
        return FALSE;

      name = g_strdup_printf ("mail %s", command->name);
      kontorctl_print_command_help (
        &(KontorctlCommand){ name, command->usage, command->summary, command->help, NULL });
      return TRUE;
    }
  return FALSE;
}

static int
mail_cb (const KontorctlOptions *options, int argc, char **argv)
{
  KontorctlOptions command_options = *options;
  const MailCommand *command;
  g_auto (Args) args = { 0 };
  g_autoptr (KontorDBusMail1) mail = NULL;
  g_autoptr (GError) error = NULL;
  int status = KONTORCTL_EXIT_OK;
  int first = 1;

  for (; first < argc && g_str_equal (argv[first], "--json"); first++)
    command_options.json = TRUE;
  if (first >= argc)
    return kontorctl_usage_error ("mail", _ ("Expected a mail command"));

  if ((command = find_mail_command (argv[first])) == NULL)
    return kontorctl_usage_error ("mail", _ ("Unknown mail command “%s”"), argv[first]);

  /* Usage errors first: they need no Kontor. */
  if (!parse_args (command, &command_options, argc - first, argv + first, &args, &status))
    return status;

  if ((mail = get_mail (&error)) == NULL)
    return report (error);
  return command->handler (mail, &args);
}

const KontorctlCommand kontorctl_mail_commands[] = {
  { "mail", N_ ("COMMAND [ARGUMENTS…]"), N_ ("Read, search, flag, move, delete and send mail"),
    /* Translators: the first word of each line is a literal subcommand; the words in
     * capitals stand for values. */
    N_ ("Commands:\n"
        "  folders [ACCOUNT]\n"
        "  list FOLDER [--offset N] [--limit N]\n"
        "  show MESSAGE [--html]\n"
        "  search QUERY [--folder FOLDER] [--long]\n"
        "  flag MESSAGE… [--add FLAG]… [--remove FLAG]…\n"
        "  move MESSAGE… --to FOLDER\n"
        "  delete MESSAGE…\n"
        "  sync [ACCOUNT]\n"
        "  save-attachment MESSAGE NUMBER FILE\n"
        "  offline [on|off]\n"
        "  compose [--to ADDRESS]… [--subject TEXT] [--body TEXT] [--attach FILE]…\n"
        "  edit-draft MESSAGE\n"
        "  send --to ADDRESS… --subject TEXT [--body-file FILE] [--attach FILE]…\n"
        "  outbox [cancel ID | retry ID]\n"
        "  identities\n"
        "  alias add|remove ACCOUNT ALIAS\n"
        "  signature ADDRESS [--file FILE | --clear]\n"
        "\n"
        "“kontorctl mail COMMAND --help” tells more about one. FOLDER is a folder id, as "
        "“kontorctl mail folders” lists them, or the full name of a folder, such as INBOX; "
        "MESSAGE is a message id, as list and search print them. --json may also follow the "
        "command."),
    mail_cb, kontorctl_mail_print_help },
  { NULL }
};
