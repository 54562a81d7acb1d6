/** The text box and button of a GET search form (the directory's, the search page's): the query is `q`. */
export function SearchField({ id, label, placeholder, defaultValue, maxLength, submit }: { id: string; label: string; placeholder: string; defaultValue: string; maxLength: number; submit: string }) {
  return (
    <div className="directory-search">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input id={id} type="search" name="q" defaultValue={defaultValue} placeholder={placeholder} maxLength={maxLength} autoComplete="off" />
      <button type="submit" className="btn btn-primary">
        {submit}
      </button>
    </div>
  );
}
