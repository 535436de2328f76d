/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontorctl-mail-identities.c: "kontorctl mail identities", "mail alias" and "mail
 * signature": the addresses the user sends from, each account's aliases, and the
 * signature of each address, through io.github.kontor.Mail1. */
#define G_LOG_DOMAIN "kontorctl"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "kontorctl-mail.h"

static GVariant *
list_identities (KontorDBusMail1 *mail, int *status)
{
  g_autoptr (GError) error = NULL;
  GVariant *identities = NULL;

  if (!kontor_dbus_mail1_call_list_identities_sync (mail, &identities, NULL, &error))
    *status = kontorctl_report_error (error);
  return identities;
}

/* One line per address: address, name, account id, "alias" or "main", and the
 * signature's first line or "-", separated by tabs. */
int
kontorctl_mail_identities (KontorDBusMail1 *mail, gboolean json)
{
  int status = KONTORCTL_EXIT_OK;
  g_autoptr (GVariant) identities = list_identities (mail, &status);

  if (identities == NULL)
    return status;
  if (json)
    {
      g_autoptr (JsonNode) node = json_gvariant_serialize (identities);

      kontorctl_print_json (node);
      return KONTORCTL_EXIT_OK;
    }
  for (gsize i = 0; i < g_variant_n_children (identities); i++)
    {
      g_autoptr (GVariant) identity = g_variant_get_child_value (identities, i);
      const char *address = "", *name = "", *account = "", *signature = "";
      gboolean alias = FALSE;
      g_autofree char *first_line = NULL;

      g_variant_lookup (identity, "address", "&s", &address);
      g_variant_lookup (identity, "name", "&s", &name);
      g_variant_lookup (identity, "account-id", "&s", &account);
      g_variant_lookup (identity, "alias", "b", &alias);
      g_variant_lookup (identity, "signature", "&s", &signature);
      first_line = g_strndup (signature, strcspn (signature, "\t\n"));
      g_print ("%s\t%s\t%s\t%s\t%s\n", address, *name ? name : "-", account,
               alias ? "alias" : "main", *first_line ? first_line : "-");
    }
  return KONTORCTL_EXIT_OK;
}

/* @account is an account id or the account's own address. Returns the account's id and
 * its aliases as "Name <address>", or NULL when no account is @account. */
static char *
find_account (GVariant *identities, const char *account, GPtrArray *aliases)
{
  g_autofree char *id = NULL;

  for (gsize i = 0; i < g_variant_n_children (identities) && id == NULL; i++)
    {
      g_autoptr (GVariant) identity = g_variant_get_child_value (identities, i);
      const char *address = "", *account_id = "";
      gboolean alias = FALSE;

      g_variant_lookup (identity, "address", "&s", &address);
      g_variant_lookup (identity, "account-id", "&s", &account_id);
      g_variant_lookup (identity, "alias", "b", &alias);
      if (!alias &&
          (g_str_equal (account_id, account) || g_ascii_strcasecmp (address, account) == 0))
        id = g_strdup (account_id);
    }
  for (gsize i = 0; id != NULL && i < g_variant_n_children (identities); i++)
    {
      g_autoptr (GVariant) identity = g_variant_get_child_value (identities, i);
      const char *address = "", *account_id = "", *name = "";
      gboolean alias = FALSE;

      g_variant_lookup (identity, "address", "&s", &address);
      g_variant_lookup (identity, "account-id", "&s", &account_id);
      g_variant_lookup (identity, "name", "&s", &name);
      g_variant_lookup (identity, "alias", "b", &alias);
      if (alias && g_str_equal (account_id, id))
        g_ptr_array_add (aliases, *name != '\0' ? g_strdup_printf ("%s <%s>", name, address)
                                                : g_strdup (address));
    }
  return g_steal_pointer (&id);
}

/* The address in "Name <address>" or "address". */
static const char *
address_of (const char *text, char **out_owned)
{
  const char *open = strrchr (text, '<');
  const char *close = open != NULL ? strchr (open, '>') : NULL;

  if (close == NULL)
    return text;
  *out_owned = g_strndup (open + 1, close - open - 1);
  return *out_owned;
}

/* "alias add|remove ACCOUNT ALIAS": the account's aliases with @alias added or taken
 * out, stored through SetAliases. */
int
kontorctl_mail_alias (KontorDBusMail1 *mail,
                      const char *command,
                      const char *action,
                      const char *account,
                      const char *alias)
{
  int status = KONTORCTL_EXIT_OK;
  g_autoptr (GVariant) identities = NULL;
  g_autoptr (GPtrArray) aliases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *wanted_owned = NULL;
  const char *wanted = address_of (alias, &wanted_owned);
  g_autofree char *id = NULL;
  gboolean adding = g_str_equal (action, "add");
  gboolean found = FALSE;

  if (!adding && !g_str_equal (action, "remove"))
    return kontorctl_usage_error (command, _ ("Expected “add” or “remove”"));
  if ((identities = list_identities (mail, &status)) == NULL)
    return status;
  if ((id = find_account (identities, account, aliases)) == NULL)
    return kontorctl_usage_error (command, _ ("No mail account “%s” exists"), account);
  for (guint i = 0; i < aliases->len; i++)
    {
      g_autofree char *owned = NULL;

      if (g_ascii_strcasecmp (address_of (g_ptr_array_index (aliases, i), &owned), wanted) == 0)
        {
          found = TRUE;
          g_ptr_array_remove_index (aliases, i--);
        }
    }
  if (!adding && !found)
    return kontorctl_usage_error (command, _ ("“%s” is not an alias of “%s”"), wanted, account);
  if (adding)
    g_ptr_array_add (aliases, g_strdup (alias));
  g_ptr_array_add (aliases, NULL);
  if (!kontor_dbus_mail1_call_set_aliases_sync (mail, id, (const char *const *) aliases->pdata,
                                                NULL, &error))
    return kontorctl_report_error (error);
  return KONTORCTL_EXIT_OK;
}

/* Prints the signature of @address, nothing when it has none. */
int
kontorctl_mail_signature_print (KontorDBusMail1 *mail, const char *command, const char *address)
{
  int status = KONTORCTL_EXIT_OK;
  g_autoptr (GVariant) identities = list_identities (mail, &status);

  if (identities == NULL)
    return status;
  for (gsize i = 0; i < g_variant_n_children (identities); i++)
    {
      g_autoptr (GVariant) identity = g_variant_get_child_value (identities, i);
      const char *candidate = "", *signature = "";

      g_variant_lookup (identity, "address", "&s", &candidate);
      g_variant_lookup (identity, "signature", "&s", &signature);
      if (g_ascii_strcasecmp (candidate, address) == 0)
        {
          if (*signature != '\0')
            g_print ("%s\n", signature);
          return KONTORCTL_EXIT_OK;
        }
    }
  return kontorctl_usage_error (command, _ ("No account sends as “%s”"), address);
}

int
kontorctl_mail_signature_set (KontorDBusMail1 *mail, const char *address, const char *text)
{
  g_autoptr (GError) error = NULL;

  if (!kontor_dbus_mail1_call_set_signature_sync (mail, address, text, NULL, &error))
    return kontorctl_report_error (error);
  return KONTORCTL_EXIT_OK;
}
