/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-identities.c: who the user can send as. Each mail account sends as its
 * own address and as each of its aliases (kept in the account's identity source, where
 * Evolution keeps them too); a From names one of them by address, by "Name <address>"
 * or by the account's id. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libedataserver/libedataserver.h>
#include <string.h>

#include "kontor-error.h"
#include "kontor-mail-engine-private.h"
#include "kontor-mail-html.h"
#include "kontor-mail-identities.h"

void
kontor_mail_from_free (KontorMailFrom *from)
{
  if (from == NULL)
    return;
  g_free (from->account_id);
  g_free (from->name);
  g_free (from->address);
  g_free (from);
}

/* "Name <address>", as the From list shows it. */
char *
kontor_mail_from_format (const KontorMailFrom *from)
{
  g_return_val_if_fail (from != NULL, NULL);
  return camel_internet_address_format_address (from->name, from->address);
}

static KontorMailFrom *
from_new (KontorAccount *account, const char *name, const char *address, gboolean alias)
{
  KontorMailFrom *from = g_new0 (KontorMailFrom, 1);

  from->account_id = g_strdup (kontor_account_get_id (account));
  from->name = name != NULL && *name != '\0' ? g_strdup (name) : NULL;
  from->address = g_strdup (address);
  from->alias = alias;
  return from;
}

/**
 * kontor_mail_identities_for_account:
 *
 * Returns: (transfer full) (element-type KontorMailFrom): the account's own address,
 *   then its aliases; empty when it has no address. An alias without a name is sent
 *   with the account's name.
 */
GPtrArray *
kontor_mail_identities_for_account (KontorAccount *account)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_mail_from_free);
  const KontorAccountSettings *settings = kontor_account_get_settings (account);
  const char *name =
    settings->full_name != NULL ? settings->full_name : kontor_account_get_display_name (account);

  if (settings->email == NULL || *settings->email == '\0')
    return list;
  g_ptr_array_add (list, from_new (account, name, settings->email, FALSE));
  for (guint i = 0; settings->aliases != NULL && settings->aliases[i] != NULL; i++)
    {
      g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
      const char *alias_name = NULL;
      const char *address = NULL;

      if (camel_address_decode (CAMEL_ADDRESS (parsed), settings->aliases[i]) > 0 &&
          camel_internet_address_get (parsed, 0, &alias_name, &address))
        g_ptr_array_add (
          list, from_new (account, alias_name != NULL && *alias_name != '\0' ? alias_name : name,
                          address, TRUE));
    }
  return list;
}

/**
 * kontor_mail_identities_find:
 * @from: (nullable): an address, "Name <address>" or the account's id
 *
 * Returns: (transfer full) (nullable): whom @from names among the account's
 *   addresses; its own address for its id
 */
KontorMailFrom *
kontor_mail_identities_find (KontorAccount *account, const char *from)
{
  g_autoptr (GPtrArray) list = kontor_mail_identities_for_account (account);
  g_autoptr (CamelInternetAddress) parsed = camel_internet_address_new ();
  const char *address = NULL;

  if (from == NULL || list->len == 0)
    return NULL;
  if (g_str_equal (from, kontor_account_get_id (account)))
    return g_ptr_array_steal_index (list, 0);
  if (camel_address_decode (CAMEL_ADDRESS (parsed), from) <= 0 ||
      !camel_internet_address_get (parsed, 0, NULL, &address))
    address = from;
  for (guint i = 0; i < list->len; i++)
    {
      KontorMailFrom *candidate = g_ptr_array_index (list, i);

      if (g_ascii_strcasecmp (candidate->address, address) == 0)
        return g_ptr_array_steal_index (list, i);
    }
  return NULL;
}

KontorAccountService *
kontor_mail_engine_get_account_service (KontorMailEngine *engine)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_ENGINE (engine), NULL);
  return engine->accounts_model;
}

/**
 * kontor_mail_identities_list:
 *
 * Returns: (transfer floating): aa{sv}, one per address of each mail account: "address",
 *   "name", "account-id", "alias" (b) and "signature" (s, "" for none)
 */
GVariant *
kontor_mail_identities_list (KontorAccountService *accounts)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; accounts != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (accounts)); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
      g_autoptr (GPtrArray) list = NULL;

      if (!kontor_account_has_service (account, "mail"))
        continue;
      list = kontor_mail_identities_for_account (account);
      for (guint j = 0; j < list->len; j++)
        {
          KontorMailFrom *from = g_ptr_array_index (list, j);
          g_autofree char *signature =
            kontor_mail_identities_dup_signature (account, from->address);
          GVariantDict dict;

          g_variant_dict_init (&dict, NULL);
          g_variant_dict_insert (&dict, "address", "s", from->address);
          g_variant_dict_insert (&dict, "name", "s", from->name != NULL ? from->name : "");
          g_variant_dict_insert (&dict, "account-id", "s", from->account_id);
          g_variant_dict_insert (&dict, "alias", "b", from->alias);
          g_variant_dict_insert (&dict, "signature", "s", signature != NULL ? signature : "");
          g_variant_builder_add_value (&builder, g_variant_dict_end (&dict));
        }
    }
  return g_variant_builder_end (&builder);
}

/**
 * kontor_mail_identities_ref_account:
 *
 * Returns: (transfer full) (nullable): the account that sends as @address
 */
KontorAccount *
kontor_mail_identities_ref_account (KontorAccountService *accounts, const char *address)
{
  for (guint i = 0; accounts != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (accounts)); i++)
    {
      g_autoptr (KontorAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
      g_autoptr (KontorMailFrom) from = NULL;

      if (kontor_account_has_service (account, "mail") &&
          g_strcmp0 (address, kontor_account_get_id (account)) != 0 &&
          (from = kontor_mail_identities_find (account, address)) != NULL)
        return g_steal_pointer (&account);
    }
  return NULL;
}

/* The signature Evolution keeps for the identity, as text: NULL when the file cannot
 * be read; "" for none. */
static char *
read_evolution_signature (const char *uid)
{
  /* Where EDS keeps a signature's content (ESourceMailSignature's "file"). */
  g_autofree char *path = g_build_filename (e_get_user_config_dir (), "signatures", uid, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *lower = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || !g_utf8_validate (contents, -1, NULL))
    return NULL;
  lower = g_ascii_strdown (contents, -1);
  /* Written as HTML in Evolution: its text. */
  if (strstr (lower, "<html") != NULL || strstr (lower, "<div") != NULL ||
      strstr (lower, "<br") != NULL || strstr (lower, "<p>") != NULL)
    {
      char *text = kontor_mail_html_to_text (contents);

      g_free (contents);
      contents = text;
    }
  return g_strchomp (g_steal_pointer (&contents));
}

/**
 * kontor_mail_identities_dup_signature:
 *
 * The signature of @address, one of @account's addresses. The account's own address
 * signs as its identity source says, where Evolution keeps it; an alias, or an
 * identity with no word on it, as Kontor's own store says. Reads small files; any
 * thread may call it.
 *
 * Returns: (transfer full) (nullable): the text, %NULL for none
 */
char *
kontor_mail_identities_dup_signature (KontorAccount *account, const char *address)
{
  const KontorAccountSettings *settings;
  const char *uid;

  g_return_val_if_fail (address != NULL, NULL);
  settings = account != NULL ? kontor_account_get_settings (account) : NULL;
  uid = settings != NULL ? settings->signature_uid : NULL;
  if (uid != NULL && *uid != '\0' && settings->email != NULL &&
      g_ascii_strcasecmp (settings->email, address) == 0)
    {
      g_autofree char *text = NULL;

      if (g_str_equal (uid, "none"))
        return NULL;
      if ((text = read_evolution_signature (uid)) != NULL)
        return *text != '\0' ? g_steal_pointer (&text) : NULL;
    }
  return kontor_mail_signatures_dup (address);
}

/* Setting a signature -------------------------------------------------------------- */

typedef struct
{
  char *account_id; /* set when the address is the account's own */
  char *address;
  char *text;
} SetSignature;

static void
set_signature_free (SetSignature *data)
{
  g_free (data->account_id);
  g_free (data->address);
  g_free (data->text);
  g_free (data);
}

static void
store_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SetSignature *data = task_data;
  GError *error = NULL;

  if (kontor_mail_signatures_set (data->address, data->text, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
account_signature_set_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (kontor_account_service_set_signature_finish (KONTOR_ACCOUNT_SERVICE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *outer = user_data;
  SetSignature *data = g_task_get_task_data (outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      g_object_unref (outer);
    }
  else if (data->account_id == NULL)
    {
      g_task_return_boolean (outer, TRUE);
      g_object_unref (outer);
    }
  else
    kontor_account_service_set_signature_async (g_task_get_source_object (outer), data->account_id,
                                                data->text, g_task_get_cancellable (outer),
                                                account_signature_set_cb, outer);
}

/**
 * kontor_mail_identities_set_signature_async:
 * @address: one of the user's addresses
 * @text: (nullable): the signature without the "-- " line; %NULL or "" for none
 *
 * Stores the signature of @address in Kontor's store and, for an account's own
 * address, with the account where Evolution keeps it too. NotFound for an address
 * that is not the user's.
 */
void
kontor_mail_identities_set_signature_async (KontorAccountService *accounts,
                                            const char *address,
                                            const char *text,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data)
{
  g_autoptr (KontorAccount) account = kontor_mail_identities_ref_account (accounts, address);
  GTask *task = g_task_new (accounts, cancellable, callback, user_data);
  g_autoptr (GTask) store = NULL;
  SetSignature *data = g_new0 (SetSignature, 1);
  g_autoptr (KontorMailFrom) from = NULL;

  g_task_set_source_tag (task, kontor_mail_identities_set_signature_async);
  g_task_set_task_data (task, data, (GDestroyNotify) set_signature_free);
  if (account == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                               _ ("No account sends as “%s”"), address);
      g_object_unref (task);
      return;
    }
  from = kontor_mail_identities_find (account, address);
  data->address = g_strdup (from->address);
  data->text = g_strchomp (g_strdup (text != NULL ? text : ""));
  if (!from->alias)
    data->account_id = g_strdup (kontor_account_get_id (account));
  store = g_task_new (NULL, cancellable, stored_cb, task);
  g_task_set_task_data (store, data, NULL);
  g_task_run_in_thread (store, store_thread);
}

gboolean
kontor_mail_identities_set_signature_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
